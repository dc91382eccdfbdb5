using System.Diagnostics;
using System.Text;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>
/// A program a test runs in a process of its own: to its end (exit code and output), or in the background with its
/// output kept for a failure message and the whole tree killed when disposed.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Everything it wrote so far, stdout and stderr interleaved as they came.</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>Runs <paramref name="program"/> to its end: its exit code and its output (stdout, then stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        using var process = Process.Start(Redirected(program, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts <paramref name="program"/> in the background.</summary>
    public static ChildProcess Start(string program, IEnumerable<string> arguments)
    {
        var child = new ChildProcess(Process.Start(Redirected(program, arguments))!);
        child.Process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child.Process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child.Process.BeginOutputReadLine();
        child.Process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL to it and everything it started, as when a machine disappears.</summary>
    public void Kill() => Process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Kill();
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
    }

    private static ProcessStartInfo Redirected(string program, IEnumerable<string> arguments) =>
        new(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };

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
