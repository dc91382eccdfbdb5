namespace AutoDeploy.Tests.TestSupport;

/// <summary>The real AutoDeploy.Agent program as a child process (its dll is copied beside the tests), with its own home folder.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly System.Text.StringBuilder _ended = new();
    private ChildProcess? _run;

    public string Home { get; } = Directory.CreateTempSubdirectory("autodeploy-agent-").FullName;

    /// <summary>What the commands run to their end wrote, then what <c>run</c> has written so far.</summary>
    public string Output
    {
        get { lock (_ended) { return _ended + (_run?.Output ?? ""); } }
    }

    /// <summary>Runs a command that ends by itself (register, deregister) and returns its exit code.</summary>
    public async Task<int> RunToEndAsync(params string[] arguments)
    {
        var (exitCode, output) = await ChildProcess.RunAsync("dotnet", Arguments([.. arguments, "--home", Home]), TimeSpan.FromSeconds(60));
        lock (_ended)
        {
            _ended.Append(output);
        }
        return exitCode;
    }

    /// <summary>Starts <c>run</c>: the agent polls until it is killed.</summary>
    public void StartRun() => _run = ChildProcess.Start("dotnet", Arguments(["run", "--home", Home]));

    /// <summary>SIGKILL, as when a spot instance disappears: no goodbye to the server.</summary>
    public void Kill() => _run?.Kill();

    public async ValueTask DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }
        Directory.Delete(Home, recursive: true);
    }

    private static string[] Arguments(string[] arguments) => [Path.Combine(AppContext.BaseDirectory, "AutoDeploy.Agent.dll"), .. arguments];
}
