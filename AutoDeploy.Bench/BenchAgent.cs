using System.Diagnostics;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Bench;

/// <summary>How a benchmark's agents run: the real agent loop, or a thin client of the same HTTP protocol.</summary>
public enum AgentKind
{
    /// <summary>AutoDeploy.Agent's <see cref="AgentRunner"/> in this process: real long polls, real bash scripts.</summary>
    Runner,

    /// <summary>The protocol through <see cref="AgentClient"/>: polls, and reports every job succeeded at once (no bash).</summary>
    Protocol,
}

/// <summary>
/// One agent of a benchmark, with the moments that matter on a <see cref="Stopwatch"/> clock: its start (before it
/// registers), its registration, a health-check job if its policy runs a script, and the deployment job reaching it.
/// </summary>
public sealed class BenchAgent(string server, HttpClient http, string name)
{
    private readonly TaskCompletionSource _deployed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => name;
    public int MachineId { get; private set; }
    public string Token { get; private set; } = "";
    public long StartedAt { get; private set; }
    public long RegisteredAt { get; private set; }
    public long DeploymentAt { get; private set; }

    /// <summary>When the latest job of any kind reached the agent (0 before the first).</summary>
    public long LastJobAt => Interlocked.Read(ref _lastJobAt);

    private long _lastJobAt;

    /// <summary>Completes when the first deployment job reaches the agent.</summary>
    public Task Deployed => _deployed.Task;

    public static HttpClient CreateHttpClient(RequestCounter? counter = null) =>
        new(counter ?? (HttpMessageHandler)new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>
    /// Registers <paramref name="agents"/> (protocol clients, role web) in <paramref name="environment"/> group by group, each
    /// group once every agent before it is connected (its machine Healthy), waiting at most <paramref name="limit"/> a group:
    /// what a benchmark of connected agents measures is their steady state, not a thundering herd (the reaction benchmark has that).
    /// </summary>
    /// <returns>The agents' runs, until <paramref name="stop"/>.</returns>
    public static async Task<List<Task>> ConnectInGroupsAsync(IReadOnlyList<BenchAgent> agents, string environment, int groupSize, HttpClient api,
        TimeSpan limit, CancellationToken stop, Action<int>? connected = null)
    {
        var running = new List<Task>();
        foreach (var group in agents.Chunk(groupSize))
        {
            running.AddRange(group.Select(agent => Task.Run(() => agent.RegisterAndRunAsync(BenchServer.AdminApiKey,
                new RegistrationRequest { Name = agent.Name, Environments = [environment], Roles = ["web"] }, AgentKind.Protocol, stop))));
            await BenchWait.UntilAsync(async () => await BenchApi.HealthyMachinesAsync(api) >= running.Count, limit, TimeSpan.FromMilliseconds(200));
            connected?.Invoke(running.Count);
        }
        return running;
    }

    /// <summary>A counter of the requests of a client from <see cref="CreateHttpClient"/>.</summary>
    public static RequestCounter CreateCounter() => new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue });

    /// <summary>Registration calls the server did not answer in time (30 s) and that were tried again.</summary>
    public int RegistrationRetries { get; private set; }

    /// <summary>
    /// Registers the machine through the API (as <c>AutoDeploy.Agent register</c> does, retried as a provisioning script
    /// would when the server does not answer), then runs until stopped.
    /// </summary>
    public Task RegisterAndRunAsync(string apiKey, RegistrationRequest request, AgentKind kind, CancellationToken stop) =>
        RegisterAndRunAsync(RegistrationCredential.ApiKey(apiKey), request, kind, stop);

    /// <inheritdoc cref="RegisterAndRunAsync(string, RegistrationRequest, AgentKind, CancellationToken)"/>
    public async Task RegisterAndRunAsync(RegistrationCredential credential, RegistrationRequest request, AgentKind kind, CancellationToken stop)
    {
        StartedAt = Stopwatch.GetTimestamp();
        RegistrationResponse registration;
        while (true)
        {
            try
            {
                registration = await new AgentClient(http, server).RegisterAsync(credential, request, stop);
                break;
            }
            catch (ServerUnavailableException) when (RegistrationRetries < 5)
            {
                RegistrationRetries++;
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
        RegisteredAt = Stopwatch.GetTimestamp();
        await RunAsync(registration.MachineId, registration.Token, kind, stop);
    }

    /// <summary>Runs the agent of an already registered machine until stopped.</summary>
    public async Task RunAsync(int machineId, string token, AgentKind kind, CancellationToken stop)
    {
        MachineId = machineId;
        Token = token;
        if (StartedAt == 0)
        {
            StartedAt = RegisteredAt = Stopwatch.GetTimestamp();
        }
        try
        {
            if (kind == AgentKind.Runner)
            {
                var runner = new AgentRunner(new AgentSettings(server, machineId, name, token), http, TimeProvider.System, new Timeline(this));
                await runner.RunAsync(stop);
            }
            else
            {
                await PollAsync(new AgentClient(http, server, token), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(AgentClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            AgentJob? job;
            try
            {
                job = (await client.PollAsync(stop)).Job;
            }
            catch (ServerUnavailableException)
            {
                await Task.Delay(200, stop);
                continue;
            }
            if (job is null)
            {
                continue;
            }
            Received(job.Kind);
            await client.CompleteAsync(job.JobId, new JobCompletion(JobOutcome.Succeeded, 0, null), stop);
        }
    }

    private void Received(AgentJobKind kind)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref _lastJobAt, now);
        if (kind == AgentJobKind.RunScript && DeploymentAt == 0)
        {
            DeploymentAt = now;
            _deployed.TrySetResult();
        }
    }

    /// <summary>What the runners logged when a call to the server failed and was retried, and how often (a run that is slow says why).</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Troubles = new();

    /// <summary>The runner's log: "Job 7 (RunScript) 'Install' started." is the moment its script starts.</summary>
    private sealed class Timeline(BenchAgent agent) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            if (value is not null && value.Contains("Retrying", StringComparison.Ordinal))
            {
                // "2026-12-06 01:02:03 Server unavailable while polling for work: <why>. Retrying in 0.5 s."
                var text = value.Length > 20 ? value[20..] : value;
                Troubles.AddOrUpdate(text[..Math.Min(text.Length, 120)], 1, (_, n) => n + 1);
            }
            if (value is null || !value.EndsWith("started.", StringComparison.Ordinal))
            {
                return;
            }
            if (value.Contains($"({AgentJobKind.RunScript})", StringComparison.Ordinal))
            {
                agent.Received(AgentJobKind.RunScript);
            }
        }
    }
}
