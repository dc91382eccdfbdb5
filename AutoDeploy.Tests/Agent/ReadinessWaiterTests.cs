using AutoDeploy.Agent;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Agent;

/// <summary><c>wait-ready</c>'s loop against the fake server, which answers what each test says.</summary>
public sealed class ReadinessWaiterTests : IAsyncLifetime
{
    private static readonly AgentRunnerOptions FastRetry = new()
    {
        RetryInitialDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(50),
    };

    private readonly StringWriter outputText = new();
    private readonly StringWriter errorText = new();
    private readonly TextWriter output;
    private readonly TextWriter error;
    private readonly HttpClient http = new();
    private FakeAgentServer server = null!;

    public ReadinessWaiterTests()
    {
        // Written by the waiter while the test reads: the synchronized writer locks itself, and so does Text.
        output = TextWriter.Synchronized(outputText);
        error = TextWriter.Synchronized(errorText);
    }

    public async Task InitializeAsync() => server = await FakeAgentServer.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Prints_each_summary_once_as_it_changes_and_exits_0_when_ready()
    {
        server.AnswerReadiness(Waiting("first"), Waiting("first"), Waiting("second"), Answer(ReadinessState.Ready, "all there"));

        var exitCode = await Waiter(TimeProvider.System).WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(ExitCodes.Done, exitCode);
        Assert.Equal(["first", "second", "all there"], OutputLines().Select(l => l[20..]));
        Assert.Equal(4, server.ReadinessAnswers);
    }

    [Theory]
    [InlineData(ReadinessState.Failed, ExitCodes.DeploymentFailed)]
    [InlineData(ReadinessState.Blocked, ExitCodes.DeploymentBlocked)]
    public async Task A_failure_or_a_block_ends_the_wait_with_its_code(ReadinessState state, int expected)
    {
        server.AnswerReadiness(Waiting("deploying"), Answer(state, "it went wrong"));

        var exitCode = await Waiter(TimeProvider.System).WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(expected, exitCode);
        Assert.EndsWith("it went wrong", OutputLines()[^1]);
    }

    [Fact]
    public async Task A_server_that_answers_503_is_asked_again_until_it_answers()
    {
        server.AnswerReadiness(Answer(ReadinessState.Ready, "all there"));
        server.FailNext(3, "/api/agent/readiness");

        var exitCode = await Waiter(TimeProvider.System).WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(ExitCodes.Done, exitCode);
        Assert.Equal(3, OutputLines().Count(l => l.Contains("Server unavailable while asking whether this machine is ready")));
    }

    [Fact]
    public async Task When_the_timeout_passes_it_exits_7_with_the_last_answer()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        server.AnswerReadiness(Waiting("Shop 1.0.0 is being deployed"));
        var waiting = Waiter(time).WaitAsync(TimeSpan.FromMinutes(10), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(Text(output, outputText).Contains("Shop 1.0.0 is being deployed")));

        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(ExitCodes.NotReadyInTime, await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("Not ready within 10m. The last answer: Shop 1.0.0 is being deployed", Text(error, errorText).Trim());
    }

    [Fact]
    public async Task A_refused_token_exits_2()
    {
        var client = new AgentClient(http, server.Url, "not-the-token");

        var exitCode = await new ReadinessWaiter(client, TimeProvider.System, output, error, FastRetry).WaitAsync(TimeSpan.FromMinutes(1), default);

        Assert.Equal(ExitCodes.TokenRefused, exitCode);
        Assert.Contains(TokenRefusedException.Explanation, Text(error, errorText));
    }

    private ReadinessWaiter Waiter(TimeProvider time) =>
        new(new AgentClient(http, server.Url, FakeAgentServer.Token), time, output, error, FastRetry) { Interval = TimeSpan.FromMilliseconds(10) };

    private static MachineReadiness Waiting(string summary) => Answer(ReadinessState.Waiting, summary);

    private static MachineReadiness Answer(ReadinessState state, string summary) => new(state, summary, []);

    private string[] OutputLines() =>
        Text(output, outputText).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Text(TextWriter writer, StringWriter text)
    {
        lock (writer)
        {
            return text.ToString();
        }
    }
}
