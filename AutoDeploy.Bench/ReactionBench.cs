using System.Diagnostics;
using AutoDeploy.Domain.Machines;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Bench;

/// <param name="MinThreads">A diagnosis: raise the thread pool's minimum (server and agents share this process) to see what starvation costs.</param>
/// <param name="Waves">Waves of N agents measured one after another on the same server: the first meets a freshly started
/// server, the later ones a server in use (their predecessors deployed and still polling, the JIT idle again). The runtime
/// promotes hot methods to optimized code only while they are called, so a wave of 1,000 spent 7 s compiling in the first
/// wave, 4 s in the second and 0.2 s in the third.</param>
public sealed record ReactionSettings(IReadOnlyList<int> Agents, AgentKind Kind = AgentKind.Runner, TimeSpan? Timeout = null,
    IReadOnlyDictionary<string, string?>? Server = null, int? MinThreads = null, int Waves = 3);

/// <summary>
/// One wave of N agents: on the agents' clock, start → script starting (and its parts: registered, health check
/// received, deployment received); on the server's clock, MachineHealthy committed → AutoDeployTriggered committed
/// (the deployment queued in the same transaction).
/// </summary>
public sealed record ReactionRow(int Agents, int Wave, int Deployed, Percentiles Total, Percentiles Registration, Percentiles ToHealthCheck,
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
            progress.WriteLine($"reaction: {count} agent(s) ({settings.Kind}), {settings.Waves} wave(s)...");
            foreach (var row in await RunServerAsync(count, settings))
            {
                rows.Add(row);
                progress.WriteLine($"reaction: {count} agent(s), wave {row.Wave}: p50 {ResultTable.Ms(row.Total.P50)} ms, max {ResultTable.Ms(row.Total.Max)} ms");
            }
        }
        return rows;
    }

    private static async Task<List<ReactionRow>> RunServerAsync(int count, ReactionSettings settings)
    {
        await using var server = BenchServer.Start(settings.Server);
        var data = await new BenchData(server.Db).WithEnvironmentAsync();
        var warmup = await data.AddEnvironmentAsync("Warm-up");
        await data.AddProjectAsync("Shop", "web", warmup);
        using var http = BenchAgent.CreateHttpClient();
        using var stop = new CancellationTokenSource();
        var running = new List<Task> { await WarmUpAsync(server, http, stop.Token) };
        var rows = new List<ReactionRow>();
        try
        {
            for (var wave = 1; wave <= Math.Max(1, settings.Waves); wave++)
            {
                if (wave > 1)
                {
                    // What the previous wave made hot is compiled by now on a server in use.
                    await JitQuiet.WaitAsync(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
                }
                rows.Add(await RunWaveAsync(server, http, data, count, wave, settings, running, stop.Token));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        return rows;
    }

    private static async Task<ReactionRow> RunWaveAsync(BenchServer server, HttpClient http, BenchData data, int count, int wave,
        ReactionSettings settings, List<Task> running, CancellationToken stop)
    {
        int deploymentsBefore;
        await using (var db = await server.Db.CreateDbContextAsync(stop))
        {
            deploymentsBefore = await db.Deployments.CountAsync(d => d.TriggerId != null && d.EnvironmentName != "Warm-up", stop);
        }
        var agents = Enumerable.Range(1, count).Select(i => new BenchAgent(server.BaseUrl, http, $"web-{wave}-{i:D5}")).ToList();
        running.AddRange(agents.Select(agent => Task.Run(() => agent.RegisterAndRunAsync(BenchServer.AdminApiKey, new RegistrationRequest
        {
            Name = agent.Name, Environments = [data.Environment.Name], Roles = ["web"],
        }, settings.Kind, stop))));

        var all = Task.WhenAll(agents.Select(a => a.Deployed));
        var pool = ThreadPoolLoad.SampleUntilAsync(all);
        await Task.WhenAny(all, Task.Delay(settings.Timeout ?? TimeSpan.FromMinutes(3), stop));
        return await SummarizeAsync(server, agents, wave, deploymentsBefore, await pool);
    }

    /// <summary>
    /// One agent in another environment goes the whole way first (registration, health check, auto-deployment), so the
    /// measured agents meet a server that has run every code path once.
    /// </summary>
    private static async Task<Task> WarmUpAsync(BenchServer server, HttpClient http, CancellationToken stop)
    {
        var agent = new BenchAgent(server.BaseUrl, http, "warm-up");
        var running = Task.Run(() => agent.RegisterAndRunAsync(BenchServer.AdminApiKey,
            new RegistrationRequest { Name = agent.Name, Environments = ["Warm-up"], Roles = ["web"] }, AgentKind.Protocol, stop));
        await Task.WhenAny(agent.Deployed, Task.Delay(TimeSpan.FromSeconds(60), stop));
        return agent.Deployed.IsCompleted ? running : throw new InvalidOperationException("The warm-up agent was not deployed to within 60 s.");
    }

    private static async Task<ReactionRow> SummarizeAsync(BenchServer server, List<BenchAgent> agents, int wave, int deploymentsBefore,
        ThreadPoolLoad pool)
    {
        var deployed = agents.Where(a => a.DeploymentAt > 0).ToList();
        await using var db = await server.Db.CreateDbContextAsync();
        var deployments = await db.Deployments.CountAsync(d => d.TriggerId != null && d.EnvironmentName != "Warm-up") - deploymentsBefore;
        return new ReactionRow(agents.Count, wave, deployed.Count,
            Percentiles.Of(deployed.Select(a => Stopwatch.GetElapsedTime(a.StartedAt, a.DeploymentAt))),
            Percentiles.Of(agents.Where(a => a.RegisteredAt > 0).Select(a => Stopwatch.GetElapsedTime(a.StartedAt, a.RegisteredAt))),
            Percentiles.Of(agents.Where(a => a.HealthCheckAt > 0).Select(a => Stopwatch.GetElapsedTime(a.RegisteredAt, a.HealthCheckAt))),
            Percentiles.Of(deployed.Where(a => a.HealthCheckAt > 0).Select(a => Stopwatch.GetElapsedTime(a.HealthCheckAt, a.DeploymentAt))),
            await ReactionStages.ReadAsync(server.Db, agents.Select(a => a.MachineId).ToList()), deployments, pool);
    }

    public static ResultTable Table(IReadOnlyList<ReactionRow> rows, AgentKind kind)
    {
        var table = new ResultTable($"Reaction time: agent start → deployment script starting ({kind} agents)",
            "agents", "wave", "deployed", "p50 ms", "p95 ms", "max ms", "register p50", "→ health check p50", "→ deploy job p50",
            "healthy→queued p50 / max ms", "deployments");
        foreach (var r in rows)
        {
            table.Add(r.Agents, r.Wave, r.Deployed, ResultTable.Ms(r.Total.P50), ResultTable.Ms(r.Total.P95), ResultTable.Ms(r.Total.Max),
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
            "agents", "wave", "health check claimed → healthy", "healthy → queued", "queued → deployment started", "started → job created",
            "job created → claimed", "pool threads max", "queued work items max", "wave s", "process CPU s", "machine CPU busy", "methods JIT-compiled", "JIT s");
        foreach (var r in rows)
        {
            table.Add(r.Agents, r.Wave, Pair(r.Server.CheckToHealthy), Pair(r.Server.HealthyToQueued), Pair(r.Server.QueuedToStarted), Pair(r.Server.StartedToJob), Pair(r.Server.JobToClaimed),
                r.Pool.MaxThreads, r.Pool.MaxQueued, r.Pool.Wall.TotalSeconds.ToString("0.00"), r.Pool.ProcessCpu.TotalSeconds.ToString("0.00"),
                r.Pool.MachineBusy.ToString("P0"), r.Pool.MethodsCompiled, r.Pool.CompileTime.TotalSeconds.ToString("0.00"));
        }
        return table;
    }

    private static string Pair(Percentiles p) => $"{ResultTable.Ms(p.P50)} / {ResultTable.Ms(p.Max)}";
}
