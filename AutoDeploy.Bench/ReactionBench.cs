using System.Diagnostics;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Machines;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Bench;

/// <param name="MinThreads">A diagnosis: raise the thread pool's minimum (server and agents share this process) to see what starvation costs.</param>
/// <param name="Shape">Where the server runs: in this process, or in processes of their own (on SQLite, or nodes on PostgreSQL).</param>
/// <param name="Restart">Before each wave after the first, every node is restarted on its database: the wave meets a cold server.</param>
/// <param name="Enrolment">The wave's agents register with an enrolment token, as a fleet does, instead of an administrator's API key.</param>
/// <param name="SqlTop">Prints this many of each wave's most frequent SQL statements (a profile of where the queries go).</param>
/// <param name="Waves">Waves of N agents measured one after another on the same server: the first meets a freshly started
/// server, the later ones a server in use (their predecessors deployed and still polling, the JIT idle again). The runtime
/// promotes hot methods to optimized code only while they are called, so a wave of 1,000 spent 7 s compiling in the first
/// wave, 4 s in the second and 0.2 s in the third.</param>
public sealed record ReactionSettings(IReadOnlyList<int> Agents, AgentKind Kind = AgentKind.Runner, TimeSpan? Timeout = null,
    IReadOnlyDictionary<string, string?>? Server = null, int? MinThreads = null, int Waves = 3, int SqlTop = 0,
    bool Enrolment = false, ServerShape? Shape = null, bool Restart = false);

/// <summary>
/// One wave of N agents: on the agents' clock, start → script starting (and its parts: registered, deployment received); on
/// the server's clock, MachineHealthy committed → AutoDeployTriggered committed (the deployment queued in the same transaction).
/// </summary>
public sealed record ReactionRow(int Agents, int Wave, int Deployed, Percentiles Total, Percentiles Registration, Percentiles ToDeployment, ReactionStages Server, int Deployments, ThreadPoolLoad Pool, WaveWork Work);

/// <summary>
/// All a wave cost, from its start until its deployments ended (not only until their scripts started): the SQL statements
/// the process ran, the agents' HTTP requests and the process's CPU, per machine of the wave. Machines of earlier waves keep
/// polling meanwhile and count too.
/// </summary>
/// <param name="SqlPerMachine">Null when the server runs in its own process, where its statements are not counted.</param>
/// <param name="ServerCpuPerMachine">The server's own CPU when it runs in its own process; null otherwise.</param>
public sealed record WaveWork(double? SqlPerMachine, double HttpPerMachine, TimeSpan CpuPerMachine, TimeSpan? ServerCpuPerMachine, TimeSpan UntilEnded);

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
        await using var server = await ReactionServer.StartAsync(settings.Shape ?? new ServerShape(), settings.Server);
        var data = await new BenchData(server.Db).WithEnvironmentAsync();
        var warmup = await data.AddEnvironmentAsync("Warm-up");
        await data.AddProjectAsync("Shop", "web", warmup);
        var requests = BenchAgent.CreateCounter();
        using var http = BenchAgent.CreateHttpClient(requests);
        using var stop = new CancellationTokenSource();
        var running = new List<Task> { await WarmUpAsync(server, http, stop.Token) };
        var rows = new List<ReactionRow>();
        try
        {
            for (var wave = 1; wave <= Math.Max(1, settings.Waves); wave++)
            {
                if (wave > 1 && settings.Restart)
                {
                    // The earlier waves' agents lose their polls and reconnect, as a fleet's would.
                    await server.RestartAsync();
                }
                else if (wave > 1)
                {
                    // What the previous wave made hot is compiled by now on a server in use.
                    await JitQuiet.WaitAsync(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
                }
                rows.Add(await RunWaveAsync(server, http, requests, data, count, wave, settings, running, stop.Token));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        return rows;
    }

    private static async Task<ReactionRow> RunWaveAsync(ReactionServer server, HttpClient http, RequestCounter requests, BenchData data, int count,
        int wave, ReactionSettings settings, List<Task> running, CancellationToken stop)
    {
        int deploymentsBefore, lastDeployment;
        await using (var db = await server.Db.CreateDbContextAsync(stop))
        {
            deploymentsBefore = await db.Deployments.CountAsync(d => d.TriggerId != null && d.EnvironmentName != "Warm-up", stop);
            lastDeployment = await db.Deployments.MaxAsync(d => (int?)d.Id, stop) ?? 0;
        }
        using var sql = new SqlCommandCounter(everywhere: true);
        var (requestsBefore, cpuBefore, serverCpuBefore, started) =
            (requests.Count, Process.GetCurrentProcess().TotalProcessorTime, server.CpuTime, Stopwatch.GetTimestamp());
        var credential = settings.Enrolment ? RegistrationCredential.Token(await data.AddEnrolmentTokenAsync("web"))
            : RegistrationCredential.ApiKey(BenchServer.AdminApiKey);
        var agents = Enumerable.Range(1, count)
            .Select(i => new BenchAgent(server.BaseUrls[i % server.BaseUrls.Count], http, $"web-{wave}-{i:D5}")).ToList();
        running.AddRange(agents.Select(agent => Task.Run(() => agent.RegisterAndRunAsync(credential, new RegistrationRequest
        {
            Name = agent.Name, Environments = [data.Environment.Name], Roles = ["web"],
        }, settings.Kind, stop))));

        var all = Task.WhenAll(agents.Select(a => a.Deployed));
        var pool = ThreadPoolLoad.SampleUntilAsync(all);
        await Task.WhenAny(all, Task.Delay(settings.Timeout ?? TimeSpan.FromMinutes(3), stop));
        var load = await pool;
        await EndedAsync(server, lastDeployment, stop);
        var work = new WaveWork(server.CpuTime is not null ? null : (double)sql.Count / count, (double)(requests.Count - requestsBefore) / count,
            (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore) / count, (server.CpuTime - serverCpuBefore) / count,
            Stopwatch.GetElapsedTime(started));
        foreach (var (trouble, times) in BenchAgent.Troubles.OrderByDescending(t => t.Value).Take(5))
        {
            Console.Error.WriteLine($"  agents retried {times,6} × {trouble}");
        }
        BenchAgent.Troubles.Clear();
        foreach (var (statement, times) in sql.Top(settings.SqlTop))
        {
            Console.Error.WriteLine($"  {times,7} × {statement}");
        }
        return await SummarizeAsync(server, agents, wave, deploymentsBefore, load, work);
    }

    /// <summary>Waits until every deployment queued since <paramref name="lastBefore"/> has ended (at most 3 minutes).</summary>
    private static async Task EndedAsync(ReactionServer server, int lastBefore, CancellationToken stop)
    {
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 180;
        while (Stopwatch.GetTimestamp() < until)
        {
            await using var db = await server.Db.CreateDbContextAsync(stop);
            if (!await db.Deployments.AnyAsync(d => d.Id > lastBefore && (d.State == DeploymentState.Queued || d.State == DeploymentState.Executing), stop))
            {
                return;
            }
            await Task.Delay(250, stop);
        }
    }

    /// <summary>
    /// One agent in another environment goes the whole way first (registration, health check, auto-deployment), so the
    /// measured agents meet a server that has run every code path once.
    /// </summary>
    private static async Task<Task> WarmUpAsync(ReactionServer server, HttpClient http, CancellationToken stop)
    {
        var agent = new BenchAgent(server.BaseUrl, http, "warm-up");
        var running = Task.Run(() => agent.RegisterAndRunAsync(BenchServer.AdminApiKey,
            new RegistrationRequest { Name = agent.Name, Environments = ["Warm-up"], Roles = ["web"] }, AgentKind.Protocol, stop));
        await Task.WhenAny(agent.Deployed, Task.Delay(TimeSpan.FromSeconds(60), stop));
        return agent.Deployed.IsCompleted ? running : throw new InvalidOperationException("The warm-up agent was not deployed to within 60 s.");
    }

    private static async Task<ReactionRow> SummarizeAsync(ReactionServer server, List<BenchAgent> agents, int wave, int deploymentsBefore,
        ThreadPoolLoad pool, WaveWork work)
    {
        var deployed = agents.Where(a => a.DeploymentAt > 0).ToList();
        await using var db = await server.Db.CreateDbContextAsync();
        var deployments = await db.Deployments.CountAsync(d => d.TriggerId != null && d.EnvironmentName != "Warm-up") - deploymentsBefore;
        return new ReactionRow(agents.Count, wave, deployed.Count,
            Percentiles.Of(deployed.Select(a => Stopwatch.GetElapsedTime(a.StartedAt, a.DeploymentAt))),
            Percentiles.Of(agents.Where(a => a.RegisteredAt > 0).Select(a => Stopwatch.GetElapsedTime(a.StartedAt, a.RegisteredAt))),
            Percentiles.Of(deployed.Where(a => a.RegisteredAt > 0).Select(a => Stopwatch.GetElapsedTime(a.RegisteredAt, a.DeploymentAt))),
            await ReactionStages.ReadAsync(server.Db, agents.Select(a => a.MachineId).ToList()), deployments, pool, work);
    }

    public static ResultTable Table(IReadOnlyList<ReactionRow> rows, AgentKind kind)
    {
        var table = new ResultTable($"Reaction time: agent start → deployment script starting ({kind} agents)",
            "agents", "wave", "deployed", "p50 ms", "p95 ms", "max ms", "register p50", "→ deploy job p50",
            "healthy→queued p50 / max ms", "deployments");
        foreach (var r in rows)
        {
            table.Add(r.Agents, r.Wave, r.Deployed, ResultTable.Ms(r.Total.P50), ResultTable.Ms(r.Total.P95), ResultTable.Ms(r.Total.Max),
                ResultTable.Ms(r.Registration.P50), ResultTable.Ms(r.ToDeployment.P50),
                $"{ResultTable.Ms(r.Server.HealthyToQueued.P50)} / {ResultTable.Ms(r.Server.HealthyToQueued.Max)}", r.Deployments);
        }
        table.Notes.Add("Columns after max are the parts, p50 each: registration call; registered → deployment job received. healthy→queued is on the server's clock: MachineHealthy committed → AutoDeployTriggered (and the deployment) committed.");
        return table;
    }

    /// <summary>Where the time between a machine becoming healthy and its job reaching the agent goes, on the server's clock.</summary>
    public static ResultTable StagesTable(IReadOnlyList<ReactionRow> rows)
    {
        var table = new ResultTable("Reaction on the server: machine registered → … → deployment job claimed by the agent (p50 / max ms)",
            "agents", "wave", "registered → healthy", "healthy → queued", "queued → deployment started", "started → job created",
            "job created → claimed", "pool threads max", "queued work items max", "wave s", "process CPU s", "machine CPU busy", "methods JIT-compiled", "JIT s");
        foreach (var r in rows)
        {
            table.Add(r.Agents, r.Wave, Pair(r.Server.RegisteredToHealthy), Pair(r.Server.HealthyToQueued), Pair(r.Server.QueuedToStarted), Pair(r.Server.StartedToJob), Pair(r.Server.JobToClaimed),
                r.Pool.MaxThreads, r.Pool.MaxQueued, r.Pool.Wall.TotalSeconds.ToString("0.00"), r.Pool.ProcessCpu.TotalSeconds.ToString("0.00"),
                r.Pool.MachineBusy.ToString("P0"), r.Pool.MethodsCompiled, r.Pool.CompileTime.TotalSeconds.ToString("0.00"));
        }
        return table;
    }

    /// <summary>What each machine of a wave cost, until the wave's deployments ended.</summary>
    public static ResultTable WorkTable(IReadOnlyList<ReactionRow> rows)
    {
        var table = new ResultTable("The wave's work per machine, start → its deployments ended",
            "agents", "wave", "SQL statements / machine", "HTTP requests / machine", "bench process CPU ms / machine", "server process CPU ms / machine",
            "until ended s");
        foreach (var r in rows)
        {
            table.Add(r.Agents, r.Wave, r.Work.SqlPerMachine?.ToString("0.0") ?? "—", r.Work.HttpPerMachine.ToString("0.0"),
                r.Work.CpuPerMachine.TotalMilliseconds.ToString("0.0"), r.Work.ServerCpuPerMachine?.TotalMilliseconds.ToString("0.0") ?? "—",
                r.Work.UntilEnded.TotalSeconds.ToString("0.0"));
        }
        table.Notes.Add("Everything done in that time, by the earlier waves' agents still polling too (from wave 2 on). The bench process runs " +
                        "the agents (not their bash scripts) and, unless the server has a process of its own (--server process), the server " +
                        "and its SQL, counted then.");
        return table;
    }

    private static string Pair(Percentiles p) => $"{ResultTable.Ms(p.P50)} / {ResultTable.Ms(p.Max)}";
}
