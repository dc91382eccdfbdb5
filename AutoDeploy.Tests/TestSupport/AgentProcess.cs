using System.Diagnostics;
using System.Text;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>The real AutoDeploy.Agent program as a child process (its dll is copied beside the tests), with its own home folder.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Home { get; } = Directory.CreateTempSubdirectory("autodeploy-agent-").FullName;

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>Runs a command that ends by itself (register, deregister) and returns its exit code.</summary>
    public async Task<int> RunToEndAsync(params string[] arguments)
    {
        using var process = Start([.. arguments, "--home", Home]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    /// <summary>Starts <c>run</c>: the agent polls until it is killed.</summary>
    public void StartRun() => _process = Start(["run", "--home", Home]);

    /// <summary>SIGKILL, as when a spot instance disappears: no goodbye to the server.</summary>
    public void Kill() => _process?.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        Directory.Delete(Home, recursive: true);
    }

    private Process Start(string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AutoDeploy.Agent.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
