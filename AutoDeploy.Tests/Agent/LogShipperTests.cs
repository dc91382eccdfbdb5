using System.Threading.Channels;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Agent;

/// <summary>Heartbeats of a job without output: on a fake clock, against a fake server on Kestrel.</summary>
public sealed class LogShipperTests : IAsyncLifetime
{
    private static readonly AgentRunnerOptions Options = new() { HeartbeatInterval = TimeSpan.FromSeconds(3) };

    private readonly FakeTimeProvider time = new();
    private readonly HttpClient http = new();
    private FakeAgentServer server = null!;

    public async Task InitializeAsync() => server = await FakeAgentServer.StartAsync();

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        http.Dispose();
    }

    [Fact]
    public async Task A_job_whose_server_asks_for_a_shorter_heartbeat_gets_it()
    {
        var client = new AgentClient(http, server.Url, FakeAgentServer.Token);
        var shipper = new LogShipper(client, new ServerRetry(time, Options, _ => { }), time, Options);
        var lines = Channel.CreateUnbounded<LogLine>();
        var job = new AgentJob(1, AgentJobKind.RunScript, "Deploy web", "sleep 600", new Dictionary<string, string>(), 60,
            Heartbeat: TimeSpan.FromSeconds(1));
        // Runs until it waits for output or its heartbeat's time, so the clock is moved after the shipper looked at it.
        var shipping = shipper.ShipAsync(job, lines.Reader, () => { }, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => Task.FromResult(server.HeartbeatsOf(1) == 1), TimeSpan.FromSeconds(10));
        lines.Writer.Complete();
        await shipping.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData(null, 3000, 3000)]
    [InlineData(1000, 3000, 1000)]
    [InlineData(5000, 3000, 3000)]
    [InlineData(1, 3000, 100)]
    public void The_heartbeat_is_the_shorter_of_the_agent_s_and_the_server_s_but_not_below_the_shortest(int? askedMs, int ownMs, int expectedMs)
    {
        var asked = askedMs is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;

        var heartbeat = LogShipper.HeartbeatFor(asked, TimeSpan.FromMilliseconds(ownMs));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), heartbeat);
    }
}
