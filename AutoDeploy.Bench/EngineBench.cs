using System.Diagnostics;
using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Bench;

public sealed record EngineIdleRow(long Events, int Passes, Percentiles Pass);

public sealed record EngineBurstRow(int Events, int Triggers, long History, int Passes, TimeSpan Elapsed, int Deployments, int MachinesQueued,
    int Decisions)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}

/// <summary>
/// The engine driven directly (<see cref="AutoDeployEngine.RunPassAsync"/> from the server's container) with its
/// worker, the task worker and the health-check ticks switched off, so nothing else touches the database.
/// </summary>
public static class EngineBench
{
    private static readonly Dictionary<string, string?> Quiet = new() { ["HealthChecks:TickInterval"] = "1.00:00:00" };

    /// <summary>Idle passes (no new events) as the Event table grows through <paramref name="sizes"/>.</summary>
    public static async Task<List<EngineIdleRow>> RunIdleAsync(IReadOnlyList<int> sizes, int passes, TextWriter progress)
    {
        await using var server = StartQuiet();
        var data = await new BenchData(server.Db).WithEnvironmentAsync();
        await data.AddProjectAsync("Shop", "web");
        await data.AddMachinesAsync(20, _ => "web", healthy: true);
        var engine = server.Services.GetRequiredService<AutoDeployEngine>();
        var rows = new List<EngineIdleRow>();
        foreach (var size in sizes.Order())
        {
            var existing = await EventHistory.CountAsync(server.Db);
            var watch = Stopwatch.StartNew();
            await EventHistory.AppendAsync(server.Db, (int)Math.Max(0, size - existing));
            progress.WriteLine($"engine-idle: {size:N0} events in the table (appended in {watch.Elapsed.TotalSeconds:0.0} s)");
            await EventHistory.MoveCursorToEndAsync(server.Db);
            for (var i = 0; i < 3; i++)
            {
                await engine.RunPassAsync(CancellationToken.None);
            }
            var times = new List<TimeSpan>();
            for (var i = 0; i < passes; i++)
            {
                var start = Stopwatch.GetTimestamp();
                if (await engine.RunPassAsync(CancellationToken.None))
                {
                    throw new InvalidOperationException("An idle pass found events to process.");
                }
                times.Add(Stopwatch.GetElapsedTime(start));
            }
            rows.Add(new EngineIdleRow(await EventHistory.CountAsync(server.Db), passes, Percentiles.Of(times)));
        }
        return rows;
    }

    /// <summary>
    /// <paramref name="events"/> machines (one role per trigger), each raising MachineHealthy at once after an outage:
    /// the engine's passes until it is idle again.
    /// </summary>
    public static async Task<EngineBurstRow> RunBurstAsync(int events, int triggers, int history, TextWriter progress)
    {
        await using var server = StartQuiet();
        var data = await new BenchData(server.Db).WithEnvironmentAsync();
        for (var t = 0; t < triggers; t++)
        {
            await data.AddProjectAsync($"Service-{t:D3}", Role(t));
        }
        var machines = await data.AddMachinesAsync(events, i => Role(i % triggers), healthy: true);
        await EventHistory.AppendAsync(server.Db, history);
        await EventHistory.MoveCursorToEndAsync(server.Db);
        var before = await MaxEventIdAsync(server);
        progress.WriteLine($"engine-burst: {events:N0} MachineHealthy events over {triggers} triggers ({history:N0} history events)...");
        await EventHistory.AppendBurstAsync(server.Db, machines.Select(m => m.Id).ToList(), EventCategories.MachineHealthy);

        var engine = server.Services.GetRequiredService<AutoDeployEngine>();
        var watch = Stopwatch.StartNew();
        var passes = 0;
        while (await engine.RunPassAsync(CancellationToken.None))
        {
            passes++;
        }
        watch.Stop();
        await using var db = await server.Db.CreateDbContextAsync();
        var queued = await db.Deployments.AsNoTracking().Where(d => d.TriggerId != null).Select(d => d.ChosenMachineIds).ToListAsync();
        var decisions = await db.Events.CountAsync(e => e.Id > before
            && EventCategories.AutoDeployDecisions.Contains(e.Category));
        return new EngineBurstRow(events, triggers, history, passes, watch.Elapsed, queued.Count, queued.Sum(m => m.Count), decisions);
    }

    public static ResultTable IdleTable(IReadOnlyList<EngineIdleRow> rows)
    {
        var table = new ResultTable("Engine: a pass with no new events", "events in table", "passes", "p50 ms", "p95 ms", "max ms");
        foreach (var r in rows)
        {
            table.Add(r.Events, r.Passes, ResultTable.Ms(r.Pass.P50), ResultTable.Ms(r.Pass.P95), ResultTable.Ms(r.Pass.Max));
        }
        return table;
    }

    public static ResultTable BurstTable(IReadOnlyList<EngineBurstRow> rows)
    {
        var table = new ResultTable("Engine: a burst of machine events", "events", "triggers", "history", "passes", "seconds", "events/s",
            "deployments queued", "machines queued", "decisions");
        foreach (var r in rows)
        {
            table.Add(r.Events, r.Triggers, r.History, r.Passes, ResultTable.Seconds(r.Elapsed), Math.Round(r.EventsPerSecond), r.Deployments,
                r.MachinesQueued, r.Decisions);
        }
        return table;
    }

    private static BenchServer StartQuiet() => BenchServer.Start(Quiet, typeof(AutoDeployWorker), typeof(TaskWorker));

    private static string Role(int trigger) => $"role-{trigger:D3}";

    private static async Task<long> MaxEventIdAsync(BenchServer server)
    {
        await using var db = await server.Db.CreateDbContextAsync();
        return await db.Events.MaxAsync(e => (long?)e.Id) ?? 0;
    }
}
