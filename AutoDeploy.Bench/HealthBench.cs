using AutoDeploy.Domain.Events;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Bench;

/// <summary>
/// All the times are from the moment every agent stopped, on the server's event clock: the first and last
/// MachineUnavailable, and the last MachineDeleted (the policy deletes unavailable machines after 0).
/// </summary>
public sealed record HealthRow(int Machines, TimeSpan UnavailableAfter, TimeSpan Connect, int Unavailable, int Deleted,
    TimeSpan FirstUnavailable, TimeSpan AllUnavailable, TimeSpan AllDeleted);

/// <summary>Health checks: N machines whose agents poll, then all stop at once (as when an auto-scaling group is scaled in).</summary>
public static class HealthBench
{
    public static async Task<HealthRow> RunAsync(int machines, IReadOnlyDictionary<string, string?>? serverSettings, TimeSpan timeout,
        TextWriter progress)
    {
        await using var server = BenchServer.Start(serverSettings);
        var unavailableAfter = TimeSpan.Parse(serverSettings?.GetValueOrDefault("HealthChecks:UnavailableAfter") ?? "00:00:30");
        var data = await new BenchData(server.Db).WithEnvironmentAsync();
        var policy = await data.AddCleanupPolicyAsync(TimeSpan.Zero);
        var seeded = await data.AddMachinesAsync(machines, _ => "web", healthy: true, policy);
        var ids = seeded.Select(m => m.Id).ToList();

        using var http = BenchAgent.CreateHttpClient();
        using var stop = new CancellationTokenSource();
        var started = DateTimeOffset.UtcNow;
        var agents = seeded.Select(m => Task.Run(() => new BenchAgent(server.BaseUrl, http, m.Name).RunAsync(m.Id, m.Token, AgentKind.Protocol, stop.Token)))
            .ToList();
        progress.WriteLine($"health: {machines:N0} agents polling; waiting until every machine has been seen...");
        await WaitAsync(server, db => db.Machines.CountAsync(m => ids.Contains(m.Id) && m.LastSeenAt != null), machines, timeout);
        var connect = DateTimeOffset.UtcNow - started;

        var stopped = DateTimeOffset.UtcNow;
        await stop.CancelAsync();
        await Task.WhenAll(agents.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        progress.WriteLine($"health: agents stopped; waiting for Unavailable (after {unavailableAfter.TotalSeconds:0} s) and clean-up...");
        await WaitAsync(server, db => db.Events.CountAsync(e => e.Category == EventCategories.MachineDeleted && ids.Contains(e.MachineId!.Value)),
            machines, timeout + unavailableAfter);

        await using var read = await server.Db.CreateDbContextAsync();
        var events = await read.Events.AsNoTracking()
            .Where(e => e.Id > 0 && ids.Contains(e.MachineId!.Value)
                && (e.Category == EventCategories.MachineUnavailable || e.Category == EventCategories.MachineDeleted))
            .Select(e => new { e.Category, e.OccurredAt }).ToListAsync();
        var unavailable = events.Where(e => e.Category == EventCategories.MachineUnavailable).Select(e => e.OccurredAt - stopped).ToList();
        var deleted = events.Where(e => e.Category == EventCategories.MachineDeleted).Select(e => e.OccurredAt - stopped).ToList();
        return new HealthRow(machines, unavailableAfter, connect, unavailable.Count, deleted.Count,
            unavailable.DefaultIfEmpty().Min(), unavailable.DefaultIfEmpty().Max(), deleted.DefaultIfEmpty().Max());
    }

    public static ResultTable Table(IReadOnlyList<HealthRow> rows)
    {
        var table = new ResultTable("Health: agents stop at once → machines Unavailable → deleted by policy (after 0)",
            "machines", "UnavailableAfter s", "unavailable", "deleted", "first Unavailable s", "all Unavailable s", "all deleted s");
        foreach (var r in rows)
        {
            table.Add(r.Machines, ResultTable.Seconds(r.UnavailableAfter), r.Unavailable, r.Deleted, ResultTable.Seconds(r.FirstUnavailable),
                ResultTable.Seconds(r.AllUnavailable), ResultTable.Seconds(r.AllDeleted));
        }
        table.Notes.Add("Seconds from the moment every agent stopped. A machine is Unavailable once its agent has been silent for " +
                        "HealthChecks:UnavailableAfter, counted from its last recorded contact (written at most every Tasks:LastSeenResolution, 10 s).");
        return table;
    }

    private static async Task WaitAsync(BenchServer server, Func<Web.Data.AutoDeployDbContext, Task<int>> count, int expected, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (true)
        {
            await using (var db = await server.Db.CreateDbContextAsync())
            {
                if (await count(db) >= expected)
                {
                    return;
                }
            }
            try
            {
                await Task.Delay(100, limit.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
