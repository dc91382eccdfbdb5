using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AutoDeploy.Bench;

/// <summary>
/// AutoDeploy.Web as its own process (the dll copied beside this one), so its memory is measured alone, without the
/// benchmark's agents and browser driver in the same process. Runs as in production but with Development static assets.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly string _dbPath;
    private Process _process;
    private List<string> _output;

    /// <summary>The server's SQLite file (unused when the settings name another database).</summary>
    public string DbPath => _dbPath;

    private ServerProcess(ProcessStartInfo start, (Process Process, string BaseUrl, List<string> Output) launched, string dbPath)
    {
        (_start, _process, _output, _dbPath, BaseUrl) = (start, launched.Process, launched.Output, dbPath, launched.BaseUrl);
    }

    /// <summary>The server's last lines of output (its log at Warning and above), to say why a request failed.</summary>
    public string RecentOutput(int lines)
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output.TakeLast(lines));
        }
    }

    public string BaseUrl { get; }

    /// <summary>The server's resident memory (what Linux calls RSS, .NET the working set).</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>The CPU time the server has used so far, all its threads together.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <param name="settings">Configuration keys (<c>Section:Key</c>) or environment variables, over the defaults.</param>
    /// <param name="directory">Where AutoDeploy.Web.dll is: a published build (ReadyToRun, say); by default the copy beside the bench.</param>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null, string? directory = null)
    {
        var dbPath = Path.Combine(Path.GetTempPath(), $"autodeploy-bench-{Guid.NewGuid():N}.db");
        directory ??= AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "AutoDeploy.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["ConnectionStrings__Default"] = $"Data Source={dbPath}";
        start.Environment["Bootstrap__AdminEmail"] = BenchServer.AdminEmail;
        start.Environment["Bootstrap__AdminPassword"] = BenchServer.AdminPassword;
        start.Environment["Bootstrap__AdminApiKey"] = BenchServer.AdminApiKey;
        start.Environment["Api__RegistrationBurst"] = "1000000"; // as in BenchServer
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        return new ServerProcess(start, await LaunchAsync(start, dbPath), dbPath);
    }

    /// <summary>
    /// Stops the server (killed, as a crash or a host's restart would) and starts it again on the same database and
    /// address, so its agents reconnect to a freshly started process.
    /// </summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _process.Dispose();
        _start.ArgumentList[^1] = BaseUrl;
        (_process, _, _output) = await LaunchAsync(_start, _dbPath);
    }

    private static async Task<(Process Process, string BaseUrl, List<string> Output)> LaunchAsync(ProcessStartInfo start, string dbPath)
    {
        var output = new List<string>();
        var process = Process.Start(start)!;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Exited(process, output);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
        if (finished != listening.Task)
        {
            await new ServerProcess(start, (process, "", output), dbPath).DisposeAsync();
            lock (output)
            {
                throw new InvalidOperationException($"The server did not start:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }
        }
        return (process, await listening.Task, output);

        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.Add(line);
                if (output.Count > 1000)
                {
                    output.RemoveRange(0, 500);
                }
            }
            if (Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        ReportComplaints();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_dbPath + suffix);
        }
    }

    /// <summary>A run whose server logged warnings or errors says so (the first few, with their next lines), so that no number is read without them.</summary>
    private void ReportComplaints()
    {
        lock (_output)
        {
            var complaints = _output.Select((line, i) => (line, i)).Where(x => x.line.StartsWith("warn:", StringComparison.Ordinal)
                || x.line.StartsWith("fail:", StringComparison.Ordinal) || x.line.StartsWith("crit:", StringComparison.Ordinal)).ToList();
            if (complaints.Count == 0)
            {
                return;
            }
            Console.Error.WriteLine($"The server at {BaseUrl} logged {complaints.Count} warning(s) or error(s) in its last {_output.Count} lines; the first:");
            foreach (var (_, i) in complaints.Take(5))
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, _output.Skip(i).Take(4)));
            }
        }
    }

    private async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Stopping.Add(_process.Id);
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>The processes the bench is stopping itself; any other exit is the server's own and is reported.</summary>
    private static readonly ConcurrentBag<int> Stopping = [];

    private static void Exited(Process process, List<string> output)
    {
        if (!Stopping.Contains(process.Id))
        {
            lock (output)
            {
                Console.Error.WriteLine($"The server process {process.Id} exited by itself with code {process.ExitCode}. Its last lines:" +
                                        $"{Environment.NewLine}{string.Join(Environment.NewLine, output.TakeLast(60))}");
            }
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
