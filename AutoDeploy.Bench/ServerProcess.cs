using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AutoDeploy.Bench;

/// <summary>
/// AutoDeploy.Web as its own process (the dll copied beside this one), so its memory is measured alone, without the
/// benchmark's agents and browser driver in the same process. Runs as in production but with Development static assets.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dbPath;

    /// <summary>The server's SQLite file.</summary>
    public string DbPath => _dbPath;

    private ServerProcess(Process process, string dbPath, string baseUrl)
    {
        _process = process;
        _dbPath = dbPath;
        BaseUrl = baseUrl;
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

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var dbPath = Path.Combine(Path.GetTempPath(), $"autodeploy-bench-{Guid.NewGuid():N}.db");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AutoDeploy.Web.dll"));
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
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
        if (finished != listening.Task)
        {
            await new ServerProcess(process, dbPath, "").DisposeAsync();
            lock (output)
            {
                throw new InvalidOperationException($"The server did not start:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }
        }
        return new ServerProcess(process, dbPath, await listening.Task);

        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.Add(line);
            }
            if (Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_dbPath + suffix);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
