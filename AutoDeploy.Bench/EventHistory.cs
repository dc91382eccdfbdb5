using System.Data.Common;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AutoDeploy.Bench;

/// <summary>
/// Fills the Event table fast with raw SQL (a recursive CTE per batch, all in one transaction): the table refuses
/// UPDATE and DELETE, inserts are fine. The mix looks like a busy server's history: mostly machine health, some
/// deployments (which end, so the engine's "installed" lookups have history to skip), audit edits and decisions.
/// </summary>
public static class EventHistory
{
    private const int BatchSize = 100_000;

    private static readonly string[] Mix =
    [
        EventCategories.MachineHealthy, EventCategories.MachineUnavailable, EventCategories.MachineHealthy, EventCategories.MachineHasWarnings,
        EventCategories.Modified, EventCategories.DeploymentQueued, EventCategories.DeploymentStarted, EventCategories.DeploymentSucceeded,
        EventCategories.AutoDeployTriggered, EventCategories.MachineAdded,
    ];

    /// <summary>Appends <paramref name="count"/> history events about <paramref name="machines"/> made-up machine ids, one second apart, ending now.</summary>
    public static async Task AppendAsync(IDbContextFactory<AutoDeployDbContext> factory, int count, int machines = 10_000)
    {
        if (count <= 0)
        {
            return;
        }
        var converter = new DateTimeOffsetToBinaryConverter();
        var first = DateTimeOffset.UtcNow.AddSeconds(-count);
        var origin = (long)converter.ConvertToProvider(first)!;
        var step = (long)converter.ConvertToProvider(first.AddSeconds(1))! - origin;
        var category = "CASE i % 10 " + string.Concat(Mix.Select((c, i) => $"WHEN {i} THEN '{c}' ")) + "END";
        // Deployment events point at ids no real deployment has, so they never change what the engine decides.
        var sql = $"""
            WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i < @to - 1)
            INSERT INTO "Events" ("OccurredAt", "Category", "Actor", "Message", "DocumentType", "DocumentId", "MachineId", "EnvironmentId",
                                  "PolicyId", "ProjectId", "ReleaseId", "DeploymentId", "TriggerId", "DetailsJson")
            SELECT @origin + i * @step, {category}, CASE i % 10 WHEN 4 THEN 'admin@example.com' ELSE 'system' END,
                   'Machine ''web-' || (i % @machines + 1) || ''' history event ' || i,
                   'Machine', i % @machines + 1, i % @machines + 1, 1, NULL, NULL, NULL,
                   CASE WHEN i % 10 BETWEEN 5 AND 8 THEN 1000000 + i / 10 END, NULL, NULL
            FROM n
            """;
        await using var db = await factory.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var from = 0; from < count; from += BatchSize)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            Add(command, "@from", from);
            Add(command, "@to", Math.Min(count, from + BatchSize));
            Add(command, "@origin", origin);
            Add(command, "@step", step);
            Add(command, "@machines", machines);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>One event per machine (e.g. MachineHealthy after an outage), committed together: a burst for the engine.</summary>
    public static async Task AppendBurstAsync(IDbContextFactory<AutoDeployDbContext> factory, IReadOnlyList<int> machineIds, string category)
    {
        var at = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(DateTimeOffset.UtcNow)!;
        await using var db = await factory.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "Events" ("OccurredAt", "Category", "Actor", "Message", "DocumentType", "DocumentId", "MachineId")
            VALUES (@at, @category, 'system', 'Machine ' || @machine || ' is healthy again', 'Machine', @machine, @machine)
            """;
        Add(command, "@at", at);
        Add(command, "@category", category);
        var machine = Add(command, "@machine", 0);
        foreach (var id in machineIds)
        {
            machine.Value = id;
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    public static async Task<long> CountAsync(IDbContextFactory<AutoDeployDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Events.LongCountAsync();
    }

    /// <summary>Moves the engine's cursor to the newest event, as if it had processed everything (history is never replayed).</summary>
    public static async Task MoveCursorToEndAsync(IDbContextFactory<AutoDeployDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        var newest = await db.Events.MaxAsync(e => (long?)e.Id) ?? 0;
        var moved = await db.AutoDeployCursors.Where(c => c.Name == AutoDeployCursor.EngineName)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastEventId, newest));
        if (moved == 0)
        {
            db.AutoDeployCursors.Add(new AutoDeployCursor { LastEventId = newest, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
    }

    private static DbParameter Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
