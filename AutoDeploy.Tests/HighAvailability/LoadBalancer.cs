using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>
/// A load balancer without sticky sessions in front of the nodes: every request goes to a node picked at random
/// (fixed seed) among those marked up, as a health-checking balancer would route. Agents and the test's REST client
/// send through it, so an agent's poll, log and completion may each reach a different node.
/// </summary>
internal sealed class LoadBalancer(IReadOnlyList<WebNode> nodes, int seed)
{
    public const string Address = "http://balancer.invalid/";

    private readonly Random _random = new(seed);
    private readonly HashSet<WebNode> _down = [];

    public void MarkDown(WebNode node)
    {
        lock (_random)
        {
            _down.Add(node);
        }
    }

    public void MarkUp(WebNode node)
    {
        lock (_random)
        {
            _down.Remove(node);
        }
    }

    public WebNode Pick()
    {
        lock (_random)
        {
            var up = nodes.Where(n => !_down.Contains(n)).ToList();
            return up[_random.Next(up.Count)];
        }
    }

    public int Next(int maxValue)
    {
        lock (_random)
        {
            return _random.Next(maxValue);
        }
    }

    /// <summary>An HTTP client whose requests to <see cref="Address"/> go to the nodes; <paramref name="killSwitch"/> cuts it off.</summary>
    public HttpClient Client(KillSwitch? killSwitch = null) =>
        new(new Handler(this, killSwitch ?? new KillSwitch()) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = new Uri(Address) };

    private sealed class Handler(LoadBalancer balancer, KillSwitch killSwitch) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (killSwitch.Killed)
            {
                throw new HttpRequestException("The agent's process is gone.");
            }
            var node = balancer.Pick();
            request.RequestUri = new Uri(node.BaseAddress, request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Ends an in-process agent the way SIGKILL ends a real one: it stops at once and never reaches the server again.</summary>
internal sealed class KillSwitch
{
    public bool Killed { get; private set; }

    public void Kill() => Killed = true;
}

/// <summary>A machine's agent: the real agent loop, in process, talking to the nodes through the balancer.</summary>
internal sealed class BalancedAgent(LoadBalancer balancer, RegistrationResponse registration, string name)
{
    private static readonly AgentRunnerOptions Fast = new()
    {
        RetryInitialDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        HeartbeatInterval = TimeSpan.FromMilliseconds(500), LogFlushInterval = TimeSpan.FromMilliseconds(100),
        StopGracePeriod = TimeSpan.FromMilliseconds(100),
    };

    private CancellationTokenSource? _stop;
    private KillSwitch? _killSwitch;
    private Task _run = Task.CompletedTask;

    public int MachineId => registration.MachineId;
    public string Name => name;

    public void Start()
    {
        _killSwitch = new KillSwitch();
        _stop = new CancellationTokenSource();
        var runner = new AgentRunner(new AgentSettings(LoadBalancer.Address, registration.MachineId, name, registration.Token),
            balancer.Client(_killSwitch), TimeProvider.System, TextWriter.Null, Fast);
        // On the thread pool, as in its own process: started from a test, its continuations would otherwise queue
        // behind every other running test on xunit's few threads, and a busy suite would starve its heartbeats.
        var stop = _stop.Token;
        _run = Task.Run(() => runner.RunAsync(stop));
    }

    public async Task KillAsync()
    {
        _killSwitch?.Kill();
        if (_stop is not null)
        {
            await _stop.CancelAsync();
        }
        await _run.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop?.Dispose();
    }
}
