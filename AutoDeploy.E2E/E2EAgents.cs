using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.E2E;

/// <summary>
/// Machines served by in-process agents: each registered over HTTP as the agent's <c>register</c> command does, then
/// served by the real <see cref="AgentRunner"/> against the app's Kestrel address until disposed.
/// </summary>
public sealed class E2EAgents(E2EFixture fixture) : IAsyncDisposable
{
    /// <summary>Where the agents extract and cache packages: a folder of this set of agents, deleted with it.</summary>
    private readonly string _apps = Directory.CreateTempSubdirectory("autodeploy-e2e-apps-").FullName;

    /// <summary>Output and a cancel reach the server within a fraction of a second, so pages show them sooner.</summary>
    private AgentRunnerOptions Fast => new()
    {
        AppsFolder = Path.Combine(_apps, "apps"),
        PackageCacheFolder = Path.Combine(_apps, "cache"),
        RetryInitialDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        HeartbeatInterval = TimeSpan.FromMilliseconds(500),
        LogFlushInterval = TimeSpan.FromMilliseconds(100),
        StopGracePeriod = TimeSpan.FromSeconds(2),
    };

    private readonly string _server = fixture.BaseUrl;
    private readonly HttpClient _http = new();
    private readonly HttpClient _api = fixture.CreateApiClient();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly StringWriter _output = new();

    /// <summary>What the agents logged so far, for a failure message.</summary>
    public string Output
    {
        // Every runner writes through Log; a synchronized writer's methods lock the writer itself, so this reads under that lock.
        get { lock (Log) { return _output.ToString(); } }
    }

    private TextWriter Log => field ??= TextWriter.Synchronized(_output);

    /// <summary>
    /// Registers a machine of that name in the environment with the role, starts its agent and waits until its first
    /// health check made it Healthy; the machine's id.
    /// </summary>
    public async Task<int> StartAsync(string name, string environment, string role = "web")
    {
        var request = new RegistrationRequest { Name = name, Environments = [environment], Roles = [role], AgentVersion = AgentProtocol.Version };
        var registered = await new AgentClient(_http, _server).RegisterAsync(E2EFixture.AdminApiKey, request, CancellationToken.None);
        var settings = new AgentSettings(_server, registered.MachineId, name, registered.Token);
        var runner = new AgentRunner(settings, _http, TimeProvider.System, Log, Fast);
        // On the thread pool, as in its own process: awaited from test code, its continuations would queue on xunit's
        // few test threads behind other tests, and the server would find the agent silent.
        _running.Add(Task.Run(() => runner.RunAsync(_stop.Token)));
        await Eventually.TrueAsync(() => IsHealthyAsync(registered.MachineId), TimeSpan.FromSeconds(60), () => Output);
        return registered.MachineId;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _stop.Dispose();
        _http.Dispose();
        _api.Dispose();
        Directory.Delete(_apps, recursive: true);
    }

    private async Task<bool> IsHealthyAsync(int machineId) =>
        (await _api.GetFromJsonAsync<JsonElement>($"/api/machines/{machineId}")).GetProperty("healthStatus").GetString() == "Healthy";
}
