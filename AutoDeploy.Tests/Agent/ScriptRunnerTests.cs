using System.Threading.Channels;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Tests.Agent;

public sealed class ScriptRunnerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_ExitZero_Succeeds()
    {
        var (result, _) = await RunAsync(Job("true"));

        Assert.Equal(new JobCompletion(JobOutcome.Succeeded, 0, null), result);
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_FailsWithTheExitCode()
    {
        var (result, _) = await RunAsync(Job("echo about to fail; exit 3"));

        Assert.Equal(JobOutcome.Failed, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("exit code 3", result.Message);
    }

    [Fact]
    public async Task RunAsync_OutputAndErrors_KeepTheirOrderPerStream()
    {
        var (_, lines) = await RunAsync(Job("echo one; echo two >&2; echo three; echo four >&2"));

        Assert.Equal(["one", "three"], lines.Where(l => l.Stream == LogStream.Output).Select(l => l.Text));
        Assert.Equal(["two", "four"], lines.Where(l => l.Stream == LogStream.Error).Select(l => l.Text));
    }

    [Fact]
    public async Task RunAsync_LinesArriveWhileTheScriptStillRuns()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"autodeploy-marker-{Guid.NewGuid():N}");
        var job = Job("""echo waiting; while [ ! -e "$MARKER" ]; do sleep 0.05; done; echo done""",
            variables: new() { ["MARKER"] = marker });
        var channel = Channel.CreateUnbounded<LogLine>();
        var running = new ScriptRunner(TimeProvider.System).RunAsync(job, channel.Writer, CancellationToken.None);

        var first = await channel.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var stillRunning = !running.IsCompleted;
        await File.WriteAllTextAsync(marker, "");
        var result = await running.WaitAsync(Patience);
        File.Delete(marker);

        Assert.Equal("waiting", first.Text);
        Assert.True(stillRunning);
        Assert.Equal(JobOutcome.Succeeded, result.Outcome);
        Assert.Equal("done", (await channel.Reader.ReadAsync()).Text);
    }

    [Fact]
    public async Task RunAsync_JobVariables_AreEnvironmentVariables()
    {
        var job = Job("""echo "$GREETING from $APP_VERSION" """,
            variables: new() { ["GREETING"] = "hello world", ["APP_VERSION"] = "1.2.3" });

        var (_, lines) = await RunAsync(job);

        Assert.Equal(["hello world from 1.2.3"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task RunAsync_WorkingDirectory_IsAFreshFolderDeletedAfterwards()
    {
        var (_, lines) = await RunAsync(Job("pwd; ls -A | wc -l"));

        var folder = lines[0].Text;
        Assert.StartsWith(Path.GetTempPath().TrimEnd('/'), folder);
        Assert.Equal("0", lines[1].Text.Trim());
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task RunAsync_PastItsTimeout_KillsTheScriptAndReportsTimedOut()
    {
        var (result, _) = await RunAsync(Job("sleep 600", timeoutSeconds: 1));

        Assert.Equal(JobOutcome.TimedOut, result.Outcome);
        Assert.Null(result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_Canceled_KillsTheWholeProcessTree()
    {
        var channel = Channel.CreateUnbounded<LogLine>();
        using var cancel = new CancellationTokenSource();
        var job = Job("""sleep 600 >/dev/null 2>&1 & echo "child $!"; wait""");
        var running = new ScriptRunner(TimeProvider.System).RunAsync(job, channel.Writer, cancel.Token);
        var childPid = int.Parse((await channel.Reader.ReadAsync().AsTask().WaitAsync(Patience)).Text["child ".Length..]);

        await cancel.CancelAsync();
        var result = await running.WaitAsync(Patience);

        Assert.Equal(JobOutcome.Canceled, result.Outcome);
        await ProcessGone(childPid);
    }

    [Fact]
    public async Task RunAsync_BackgroundChildHoldsTheOutput_FinishesAfterTheGracePeriod()
    {
        var runner = new ScriptRunner(TimeProvider.System) { OutputGracePeriod = TimeSpan.FromMilliseconds(200) };
        var channel = Channel.CreateUnbounded<LogLine>();

        var result = await runner.RunAsync(Job("""sleep 600 & echo "child $!" """), channel.Writer, CancellationToken.None).WaitAsync(Patience);

        channel.Writer.Complete();
        var lines = await ReadAllAsync(channel.Reader);
        KillProcess(int.Parse(lines[0].Text["child ".Length..]));
        Assert.Equal(JobOutcome.Succeeded, result.Outcome);
        Assert.Contains("still holds its output open", lines[^1].Text);
    }

    [Fact]
    public async Task RunAsync_HugeLine_IsCutWithAVisibleMarker()
    {
        var (_, lines) = await RunAsync(Job("head -c 20000000 /dev/zero | tr '\\0' x; echo; echo after"));

        Assert.Equal(2, lines.Count);
        Assert.Equal(new string('x', OutputPump.MaxLineLength) + OutputPump.TruncatedMarker, lines[0].Text);
        Assert.Equal("after", lines[1].Text);
    }

    [Fact]
    public async Task RunAsync_ManyLinesThroughASmallBuffer_LosesNone()
    {
        var channel = Channel.CreateBounded<LogLine>(10);
        var running = new ScriptRunner(TimeProvider.System).RunAsync(Job("seq 1 100000"), channel.Writer, CancellationToken.None);
        var reading = Task.Run(() => ReadAllAsync(channel.Reader));

        var result = await running.WaitAsync(Patience);
        channel.Writer.Complete();
        var lines = await reading.WaitAsync(Patience);

        Assert.Equal(JobOutcome.Succeeded, result.Outcome);
        Assert.Equal(100_000, lines.Count);
        Assert.Equal("100000", lines[^1].Text);
    }

    private static AgentJob Job(string script, int timeoutSeconds = 60, Dictionary<string, string>? variables = null) =>
        new(1, AgentJobKind.RunScript, "test step", script, variables ?? [], timeoutSeconds);

    private static async Task<(JobCompletion Result, List<LogLine> Lines)> RunAsync(AgentJob job)
    {
        var channel = Channel.CreateUnbounded<LogLine>();
        var result = await new ScriptRunner(TimeProvider.System).RunAsync(job, channel.Writer, CancellationToken.None).WaitAsync(Patience);
        channel.Writer.Complete();
        return (result, await ReadAllAsync(channel.Reader));
    }

    private static async Task<List<LogLine>> ReadAllAsync(ChannelReader<LogLine> reader)
    {
        var lines = new List<LogLine>();
        await foreach (var line in reader.ReadAllAsync())
        {
            lines.Add(line);
        }
        return lines;
    }

    // A killed process may linger as a zombie until its new parent reaps it: that counts as gone.
    private static async Task ProcessGone(int pid)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (File.Exists($"/proc/{pid}/stat") && !IsZombie(pid))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static void KillProcess(int pid)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException)
        {
        }
    }
}
