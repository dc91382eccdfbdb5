using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Tests.Agent;

public sealed class AgentRunnerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly AgentRunnerOptions FastOptions = new()
    {
        RetryInitialDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(20),
        LogFlushInterval = TimeSpan.FromMilliseconds(50),
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
    };

    private readonly HttpClient http = new();
    private readonly StringWriter log = new();
    private readonly CancellationTokenSource stop = new();
    private FakeAgentServer server = null!;

    public async Task InitializeAsync() => server = await FakeAgentServer.StartAsync();

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await server.DisposeAsync();
        http.Dispose();
        stop.Dispose();
    }

    [Fact]
    public async Task RunAsync_Job_StreamsItsOutputAndReportsTheExitCode()
    {
        var agent = StartAgent();

        server.Enqueue(Job(1, """echo "hello $WHO"; echo oops >&2; exit 3""", new() { ["WHO"] = "world" }));
        var completion = await server.CompletionOf(1).WaitAsync(Patience);

        Assert.Equal(JobOutcome.Failed, completion.Outcome);
        Assert.Equal(3, completion.ExitCode);
        Assert.Contains(server.LinesOf(1), l => l is { Stream: LogStream.Output, Text: "hello world" });
        Assert.Contains(server.LinesOf(1), l => l is { Stream: LogStream.Error, Text: "oops" });
        await StopAsync(agent);
    }

    [Fact]
    public async Task RunAsync_ManyLines_AreSentInOrderInFewBatches()
    {
        var agent = StartAgent();

        server.Enqueue(Job(1, "seq 1 500"));
        await server.CompletionOf(1).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(1, 500).Select(i => i.ToString()), server.TextsOf(1));
        Assert.InRange(server.BatchesOf(1), 5, 50);
        await StopAsync(agent);
    }

    [Fact]
    public async Task RunAsync_ServerAsksToCancel_KillsTheScriptAndReportsCanceled()
    {
        var agent = StartAgent();
        server.Enqueue(Job(1, "echo started; sleep 600"));
        await server.WaitUntilAsync(() => server.TextsOf(1).Contains("started"));

        server.RequestCancel(1);
        var completion = await server.CompletionOf(1).WaitAsync(Patience);

        Assert.Equal(JobOutcome.Canceled, completion.Outcome);
        Assert.Contains("Canceled on request", completion.Message);
        await StopAsync(agent);
    }

    [Fact]
    public async Task RunAsync_HealthCheckWithoutScript_SucceedsAtOnce()
    {
        var agent = StartAgent();

        server.Enqueue(new AgentJob(7, AgentJobKind.HealthCheck, "Health check", "", new Dictionary<string, string>(), 60));
        var completion = await server.CompletionOf(7).WaitAsync(Patience);

        Assert.Equal(JobOutcome.Succeeded, completion.Outcome);
        await StopAsync(agent);
    }

    [Fact]
    public async Task RunAsync_TokenRefused_SaysSoAndExitsWithCode2()
    {
        var exitCode = await StartAgent(token: "revoked-token").WaitAsync(Patience);

        Assert.Equal(ExitCodes.TokenRefused, exitCode);
        Assert.Contains(TokenRefusedException.Explanation, log.ToString());
    }

    [Fact]
    public async Task RunAsync_ServerAnswers503AFewTimes_RetriesAndRunsTheJob()
    {
        server.FailNext(3);
        server.Enqueue(Job(1, "echo ok"));

        var agent = StartAgent();
        var completion = await server.CompletionOf(1).WaitAsync(Patience);
        await StopAsync(agent);

        Assert.Equal(JobOutcome.Succeeded, completion.Outcome);
        Assert.Equal(3, CountLines(log.ToString(), "Server unavailable while polling for work: the server answered 503"));
    }

    [Fact]
    public async Task RunAsync_ServerDownWhileTheJobRuns_LosesNoOutputAndReportsTheResult()
    {
        server.FailNext(4, "/log");
        server.FailNext(2, "/complete");
        var agent = StartAgent();

        server.Enqueue(Job(1, "seq 1 300"));
        var completion = await server.CompletionOf(1).WaitAsync(Patience);

        Assert.Equal(JobOutcome.Succeeded, completion.Outcome);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => i.ToString()), server.TextsOf(1));
        await StopAsync(agent);
    }

    [Fact]
    public async Task RunAsync_StoppedDuringAJob_KillsTheScriptAndReportsCanceled()
    {
        var agent = StartAgent();
        server.Enqueue(Job(1, "echo started; sleep 600"));
        await server.WaitUntilAsync(() => server.TextsOf(1).Contains("started"));

        await stop.CancelAsync();
        var completion = await server.CompletionOf(1).WaitAsync(Patience);

        Assert.Equal(JobOutcome.Canceled, completion.Outcome);
        Assert.Equal(0, await agent.WaitAsync(Patience));
    }

    private Task<int> StartAgent(string token = FakeAgentServer.Token)
    {
        var settings = new AgentSettings(server.Url, FakeAgentServer.MachineId, "web-01", token);
        var runner = new AgentRunner(settings, http, TimeProvider.System, log, FastOptions);
        return Task.Run(() => runner.RunAsync(stop.Token));
    }

    private async Task StopAsync(Task<int> agent)
    {
        await stop.CancelAsync();
        Assert.Equal(0, await agent.WaitAsync(Patience));
    }

    private static AgentJob Job(long id, string script, Dictionary<string, string>? variables = null) =>
        new(id, AgentJobKind.RunScript, "Deploy web", script, variables ?? [], 60);

    private static int CountLines(string text, string fragment) =>
        text.Split('\n').Count(line => line.Contains(fragment));
}
