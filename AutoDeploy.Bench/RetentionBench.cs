using System.Diagnostics;
using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Retention;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Bench;

public sealed record RetentionRow(long Events, int BatchSize, int Deleted, TimeSpan Sweep, TimeSpan MeanBatch, TimeSpan PassAfter, bool EngineDecided);

/// <summary>
/// A retention sweep of a large Event table on the quiet server (engine and task workers off): how long it takes, how
/// long its longest batch holds the database (what other writers wait for at most), and that the engine then decides
/// about a machine that arrives after it.
/// </summary>
public static class RetentionBench
{
    public static async Task<RetentionRow> RunAsync(int events, int batchSize, TextWriter progress)
    {
        await using var server = BenchServer.Start(new Dictionary<string, string?> { ["HealthChecks:TickInterval"] = "1.00:00:00" },
            typeof(AutoDeployWorker), typeof(TaskWorker));
        var data = await new BenchData(server.Db).WithEnvironmentAsync();
        await data.AddProjectAsync("Shop", "web");
        await EventHistory.AppendAsync(server.Db, events);
        await EventHistory.MoveCursorToEndAsync(server.Db);
        var before = await EventHistory.CountAsync(server.Db);
        progress.WriteLine($"retention: {before:N0} events in the table; sweeping those older than a day, seen from two days on...");

        var options = new RetentionOptions { Events = TimeSpan.FromDays(1), BatchSize = batchSize };
        var sweep = new RetentionSweep(server.Db, Microsoft.Extensions.Options.Options.Create(options), new LaterClock(TimeSpan.FromDays(2)));
        var watch = Stopwatch.StartNew();
        var result = await sweep.SweepAsync(CancellationToken.None);
        watch.Stop();

        var machine = (await data.AddMachinesAsync(1, _ => "web", healthy: true)).Single();
        var engine = server.Services.GetRequiredService<AutoDeployEngine>();
        var pass = Stopwatch.StartNew();
        while (await engine.RunPassAsync(CancellationToken.None))
        {
        }
        pass.Stop();
        await using var db = await server.Db.CreateDbContextAsync();
        var decided = await db.Events.AnyAsync(e => e.MachineId == machine.Id && EventCategories.AutoDeployDecisions.Contains(e.Category));
        return new RetentionRow(before, batchSize, result.Events, watch.Elapsed, watch.Elapsed / Math.Max(1, Math.Ceiling(result.Events / (double)batchSize)),
            pass.Elapsed, decided);
    }

    public static ResultTable Table(IReadOnlyList<RetentionRow> rows)
    {
        var table = new ResultTable("Retention: sweeping old events", "events in table", "batch", "deleted", "sweep s", "events/s",
            "mean batch ms", "engine after (ms)", "engine decided");
        foreach (var r in rows)
        {
            table.Add(r.Events, r.BatchSize, r.Deleted, ResultTable.Seconds(r.Sweep), Math.Round(r.Deleted / r.Sweep.TotalSeconds),
                ResultTable.Ms(r.MeanBatch), ResultTable.Ms(r.PassAfter), r.EngineDecided ? "yes" : "NO");
        }
        return table;
    }
}

/// <summary>The system clock <paramref name="ahead"/> in the future, so that the history just written is old.</summary>
internal sealed class LaterClock(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
}
