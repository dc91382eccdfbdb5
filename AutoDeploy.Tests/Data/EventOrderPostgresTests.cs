using AutoDeploy.Domain.Environments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AutoDeploy.Tests.Data;

/// <summary>
/// Octopus 3140: a reader must never see an event id before every smaller id is committed, or its cursor skips
/// events. On PostgreSQL the appends take a transaction-scoped advisory lock before taking their ids.
/// </summary>
[Collection("postgres")]
public sealed class EventOrderPostgresTests(PostgresServer server)
{
    [Fact]
    public async Task A_writer_whose_commit_is_held_back_makes_later_writers_wait_so_ids_commit_in_order()
    {
        var connectionString = await server.CreateDatabaseAsync();
        PostgresAutoDeployDbContext Create() =>
            new(new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(connectionString).UseAutoDeploy(TimeProvider.System).Options);
        await using (var setup = Create())
        {
            await setup.Database.MigrateAsync();
        }
        await using var slow = Create();
        await using var held = await slow.Database.BeginTransactionAsync();
        slow.Environments.Add(DeploymentEnvironment.Create("Slow", null, 0));
        await slow.SaveChangesAsync();

        await using var fast = Create();
        fast.Environments.Add(DeploymentEnvironment.Create("Fast", null, 1));
        var fastSave = fast.SaveChangesAsync();
        await Eventually.TrueAsync(() => IsWaitingForAdvisoryLockAsync(connectionString), because: () => "the second writer should wait");
        var visibleWhileHeld = await CountEventsAsync(connectionString);
        await held.CommitAsync();
        await fastSave;

        await using var check = Create();
        var events = await check.Events.OrderBy(e => e.Id).Select(e => e.Message).ToListAsync();
        Assert.False(fastSave.IsFaulted);
        Assert.Equal(0, visibleWhileHeld);
        Assert.Equal(["Environment 'Slow' was created", "Environment 'Fast' was created"], events);
    }

    private static async Task<bool> IsWaitingForAdvisoryLockAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private static async Task<long> CountEventsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM \"Events\"", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
