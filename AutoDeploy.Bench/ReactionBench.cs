using System.Diagnostics;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Bench;

public sealed record ReactionSettings(IReadOnlyList<int> Agents, AgentKind Kind = AgentKind.Runner, TimeSpan? Timeout = null,
    IReadOnlyDictionary<string, string?>? Server = null);

/// <summary>
/// One run with N agents: on the agents' clock, start → script starting (and its parts: registered, health check
/// received, deployment received); on the server's clock, MachineHealthy committed → AutoDeployTriggered committed
/// (the deployment queued in the same transaction).
/// </summary>
public sealed record ReactionRow(int Agents, int Deployed, Percentiles Total, Percentiles Registration, Percentiles ToHealthCheck,
    Percentiles ToDeployment, Percentiles HealthyToQueued, int Deployments);

/// <summary>Reaction time: N agents start at once; how long until each one's deployment script starts.</summary>
public static class ReactionBench
{
    public static async Task<List<ReactionRow>> RunAsync(ReactionSettings settings, TextWriter progress)
    {
        var rows = new List<ReactionRow>();
        foreach (var count in settings.Agents)
        {
            progress.WriteLine($"reaction: {count} agent(s) ({settings.Kind})...");
            rows.Add(await RunOnceAsync(count, settings));
            progress.WriteLine($"reaction: {count} agent(s): p50 {ResultTable.Ms(rows[^1].Total.P50)} ms, max {ResultTable.Ms(rows[^1].Total.Max)} ms");
        }
        return rows;
    }

    private static async Task<ReactionRow> RunOnceAsync(int count, ReactionSettings settings)
    {
        await using var server = BenchServer.Start(settings.Server);
        var data = await new BenchData(server.Db).WithEnvironmentAsync();
        await data.AddProjectAsync("Shop", "web");
        using var http = BenchAgent.CreateHttpClient();
        using var stop = new CancellationTokenSource();
        var agents = Enumerable.Range(1, count).Select(i => new BenchAgent(server.BaseUrl, http, $"web-{i:D5}")).ToList();
        var running = agents.Select(agent => Task.Run(() => agent.RegisterAndRunAsync(BenchServer.AdminApiKey, new RegistrationRequest
        {
            Name = agent.Name, Environments = [data.Environment.Name], Roles = ["web"],
        }, settings.Kind, stop.Token))).ToList();

        var all = Task.WhenAll(agents.Select(a => a.Deployed));
        await Task.WhenAny(all, Task.Delay(settings.Timeout ?? TimeSpan.FromMinutes(3)));
        await stop.CancelAsync();
        await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        return await SummarizeAsync(server, agents);
    }

    private static async Task<ReactionRow> SummarizeAsync(BenchServer server, List<BenchAgent> agents)
    {
        var deployed = agents.Where(a => a.DeploymentAt > 0).ToList();
        await using var db = await server.Db.CreateDbContextAsync();
        var events = await db.Events.AsNoTracking()
            .Where(e => e.MachineId != null && (e.Category == EventCategories.MachineHealthy || e.Category == EventCategories.AutoDeployTriggered))
            .Select(e => new { e.MachineId, e.Category, e.OccurredAt }).ToListAsync();
        var healthy = events.Where(e => e.Category == EventCategories.MachineHealthy).GroupBy(e => e.MachineId!.Value)
            .ToDictionary(g => g.Key, g => g.Min(e => e.OccurredAt));
        var queued = events.Where(e => e.Category == EventCategories.AutoDeployTriggered).GroupBy(e => e.MachineId!.Value)
            .ToDictionary(g => g.Key, g => g.Min(e => e.OccurredAt));
        var healthyToQueued = queued.Where(q => healthy.ContainsKey(q.Key)).Select(q => q.Value - healthy[q.Key]);
        var deployments = await db.Deployments.CountAsync(d => d.TriggerId != null);
        return new ReactionRow(agents.Count, deployed.Count,
            Percentiles.Of(deployed.Select(a => Stopwatch.GetElapsedTime(a.StartedAt, a.DeploymentAt))),
            Percentiles.Of(agents.Where(a => a.RegisteredAt > 0).Select(a => Stopwatch.GetElapsedTime(a.StartedAt, a.RegisteredAt))),
            Percentiles.Of(agents.Where(a => a.HealthCheckAt > 0).Select(a => Stopwatch.GetElapsedTime(a.RegisteredAt, a.HealthCheckAt))),
            Percentiles.Of(deployed.Where(a => a.HealthCheckAt > 0).Select(a => Stopwatch.GetElapsedTime(a.HealthCheckAt, a.DeploymentAt))),
            Percentiles.Of(healthyToQueued), deployments);
    }

    public static ResultTable Table(IReadOnlyList<ReactionRow> rows, AgentKind kind)
    {
        var table = new ResultTable($"Reaction time: agent start → deployment script starting ({kind} agents)",
            "agents", "deployed", "p50 ms", "p95 ms", "max ms", "register p50", "→ health check p50", "→ deploy job p50",
            "healthy→queued p50 / max ms", "deployments");
        foreach (var r in rows)
        {
            table.Add(r.Agents, r.Deployed, ResultTable.Ms(r.Total.P50), ResultTable.Ms(r.Total.P95), ResultTable.Ms(r.Total.Max),
                ResultTable.Ms(r.Registration.P50), ResultTable.Ms(r.ToHealthCheck.P50), ResultTable.Ms(r.ToDeployment.P50),
                $"{ResultTable.Ms(r.HealthyToQueued.P50)} / {ResultTable.Ms(r.HealthyToQueued.Max)}", r.Deployments);
        }
        table.Notes.Add("Columns after max are the parts, p50 each: registration call; registered → first-contact health check received; " +
                        "health check → deployment job received. healthy→queued is on the server's clock: MachineHealthy committed → AutoDeployTriggered (and the deployment) committed.");
        return table;
    }
}
