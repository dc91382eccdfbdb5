using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>
/// One AutoDeploy.Web node as a process of its own (the build output beside the tests, configured by environment
/// variables as an operator would), on a fixed loopback port so that it comes back at the same address after a kill.
/// </summary>
internal sealed class WebNode(string name, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Name { get; } = name;
    public int Port { get; } = FreePort();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public int Starts { get; private set; }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AutoDeploy.Web.dll"));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_CONTENTROOT"] = AppContext.BaseDirectory;
        info.Environment["Node__Name"] = Name;
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;
    }

    /// <summary>Waits until the node answers /healthz (its database reachable, its start-up done).</summary>
    public async Task WaitHealthyAsync(TimeSpan within)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"Node {Name} exited with code {_process.ExitCode}:\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync("healthz");
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, within, () => $"node {Name} should start:\n{Tail()}");
    }

    /// <summary>SIGKILL: no shutdown, no goodbye; its leases simply stop being renewed.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>The last lines the node wrote, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        lock (_output)
        {
            var all = _output.ToString().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine($"[{Name}] {line}");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
