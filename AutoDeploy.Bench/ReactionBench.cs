using System.Diagnostics;
using AutoDeploy.Domain.Machines;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Bench;

/// <param name="MinThreads">A diagnosis: raise the thread pool's minimum (server and agents share this process) to see what starvation costs.</param>
/// <param name="WarmUp">Agents of the warm-up wave, which goes the whole way before the measured one.</param>
/// <param name="SettleJit">After the warm-up, wait (up to a minute) until the JIT has been idle for 2 s.</param>
public sealed record ReactionSettings(IReadOnlyList<int> Agents, AgentKind Kind = AgentKind.Runner, TimeSpan? Timeout = null,
    IReadOnlyDictionary<string, string?>? Server = null, int? MinThreads = null, int WarmUp = 50, bool SettleJit = true);

/// <summary>
/// One run with N agents: on the agents' clock, start → script starting (and its parts: registered, health check
/// received, deployment received); on the server's clock, MachineHealthy committed → AutoDeployTriggered committed
/// (the deployment queued in the same transaction).
/// </summary>
public sealed record ReactionRow(int Agents, int Deployed, Percentiles Total, Percentiles Registration, Percentiles ToHealthCheck,
    Percentiles ToDeployment, ReactionStages Server, int Deployments, ThreadPoolLoad Pool);

/// <summary>Reaction time: N agents start at once; how long until each one's deployment script starts.</summary>
public static class ReactionBench
{
    public static async Task<List<ReactionRow>> RunAsync(ReactionSettings settings, TextWriter progress)
    {
        if (settings.MinThreads is { } minimum)
        {
            ThreadPool.GetMinThreads(out _, out var io);
            ThreadPool.SetMinThreads(minimum, io);
        }
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
        var warmup = await data.AddEnvironmentAsync("Warm-up");
        await data.AddProjectAsync("Shop", "web", warmup);
        using var http = BenchAgent.CreateHttpClient();
        using var stop = new CancellationTokenSource();
        var warm = await WarmUpAsync(server, http, settings, stop.Token);
        var agents = Enumerable.Range(1, count).Select(i => new BenchAgent(server.BaseUrl, http, $"web-{i:D5}")).ToList();
        var running = agents.Select(agent => Task.Run(() => agent.RegisterAndRunAsync(BenchServer.AdminApiKey, new RegistrationRequest
        {
            Name = agent.Name, Environments = [data.Environment.Name], Roles = ["web"],
        }, settings.Kind, stop.Token))).ToList();

        var all = Task.WhenAll(agents.Select(a => a.Deployed));
        var pool = ThreadPoolLoad.SampleUntilAsync(all);
        await Task.WhenAny(all, Task.Delay(settings.Timeout ?? TimeSpan.FromMinutes(3)));
        await stop.CancelAsync();
        await Task.WhenAll(running.Append(warm).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        return await SummarizeAsync(server, agents, await pool);
    }

    /// <summary>
    /// A wave of agents in another environment goes the whole way first (registration, health check, auto-deployment),
    /// then the runtime is left to finish compiling what got hot: the measured agents meet a server that has run every
    /// code path many times, as a server in use has. Without it, a wave of 1,000 spent 6 to 8 s of its CPU in the JIT
    /// (methods promoted to optimized code while the wave ran).
    /// </summary>
    private static async Task<Task> WarmUpAsync(BenchServer server, HttpClient http, ReactionSettings settings, CancellationToken stop)
    {
        var agents = Enumerable.Range(1, Math.Max(1, settings.WarmUp)).Select(i => new BenchAgent(server.BaseUrl, http, $"warm-up-{i:D3}")).ToList();
        var running = agents.Select(agent => Task.Run(() => agent.RegisterAndRunAsync(BenchServer.AdminApiKey,
            new RegistrationRequest { Name = agent.Name, Environments = ["Warm-up"], Roles = ["web"] }, settings.Kind, stop))).ToList();
        var deployed = Task.WhenAll(agents.Select(a => a.Deployed));
        await Task.WhenAny(deployed, Task.Delay(TimeSpan.FromSeconds(120), stop));
        if (!deployed.IsCompleted)
        {
            throw new InvalidOperationException($"The {agents.Count} warm-up agents were not all deployed to within 120 s.");
        }
        if (settings.SettleJit)
        {
            await JitQuiet.WaitAsync(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
        }
        return Task.WhenAll(running);
    }

    private static async Task<ReactionRow> SummarizeAsync(BenchServer server, List<BenchAgent> agents, ThreadPoolLoad pool)
    {
        var deployed = agents.Where(a => a.DeploymentAt > 0).ToList();
        await using var db = await server.Db.CreateDbContextAsync();
        var deployments = await db.Deployments.CountAsync(d => d.TriggerId != null && d.EnvironmentName != "Warm-up");
        return new ReactionRow(agents.Count, deployed.Count,
            Percentiles.Of(deployed.Select(a => Stopwatch.GetElapsedTime(a.StartedAt, a.DeploymentAt))),
            Percentiles.Of(agents.Where(a => a.RegisteredAt > 0).Select(a => Stopwatch.GetElapsedTime(a.StartedAt, a.RegisteredAt))),
            Percentiles.Of(agents.Where(a => a.HealthCheckAt > 0).Select(a => Stopwatch.GetElapsedTime(a.RegisteredAt, a.HealthCheckAt))),
            Percentiles.Of(deployed.Where(a => a.HealthCheckAt > 0).Select(a => Stopwatch.GetElapsedTime(a.HealthCheckAt, a.DeploymentAt))),
            await ReactionStages.ReadAsync(server.Db, agents.Select(a => a.MachineId).ToList()), deployments, pool);
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
                $"{ResultTable.Ms(r.Server.HealthyToQueued.P50)} / {ResultTable.Ms(r.Server.HealthyToQueued.Max)}", r.Deployments);
        }
        table.Notes.Add("Columns after max are the parts, p50 each: registration call; registered → first-contact health check received; " +
                        "health check → deployment job received. healthy→queued is on the server's clock: MachineHealthy committed → AutoDeployTriggered (and the deployment) committed.");
        return table;
    }

    /// <summary>Where the time between a machine becoming healthy and its job reaching the agent goes, on the server's clock.</summary>
    public static ResultTable StagesTable(IReadOnlyList<ReactionRow> rows)
    {
        var table = new ResultTable("Reaction on the server: first-contact health check claimed → … → deployment job claimed by the agent (p50 / max ms)",
            "agents", "health check claimed → healthy", "healthy → queued", "queued → deployment started", "started → job created",
            "job created → claimed", "pool threads max", "queued work items max", "wave s", "process CPU s", "machine CPU busy");
        foreach (var r in rows)
        {
            table.Add(r.Agents, Pair(r.Server.CheckToHealthy), Pair(r.Server.HealthyToQueued), Pair(r.Server.QueuedToStarted), Pair(r.Server.StartedToJob), Pair(r.Server.JobToClaimed),
                r.Pool.MaxThreads, r.Pool.MaxQueued, r.Pool.Wall.TotalSeconds.ToString("0.00"), r.Pool.ProcessCpu.TotalSeconds.ToString("0.00"),
                r.Pool.MachineBusy.ToString("P0"));
        }
        return table;
    }

    private static string Pair(Percentiles p) => $"{ResultTable.Ms(p.P50)} / {ResultTable.Ms(p.Max)}";
}
