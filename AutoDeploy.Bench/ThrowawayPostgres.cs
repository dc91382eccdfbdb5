using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AutoDeploy.Bench;

/// <summary>
/// A throwaway PostgreSQL server started by the tests and benchmarks themselves (initdb into a temp folder, loopback
/// only, trust auth), stopped and deleted at the end. As root, the server runs as the 'postgres' user.
/// The tests share one per run (their "postgres" collection); each test makes its own database.
/// </summary>
public class ThrowawayPostgres
{
    private string _folder = "";
    private string _bin = "";
    private readonly Lazy<Task<string>> _template;

    public ThrowawayPostgres() => _template = new Lazy<Task<string>>(MigrateTemplateAsync);

    public int Port { get; private set; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Timeout=30";

    /// <summary>A new, empty database.</summary>
    public Task<string> CreateDatabaseAsync() => CreateAsync("");

    /// <summary>
    /// A new database with every migration applied, copied from a template migrated once per server: the app-level
    /// tests start on it at once instead of each migrating its own (PostgreSQL runs DDL slowly; migrations are
    /// tested on their own in PostgresMigrationTests).
    /// </summary>
    public async Task<string> CreateMigratedDatabaseAsync() => await CreateAsync($" TEMPLATE {await _template.Value}");

    /// <returns>The new database's connection string.</returns>
    private async Task<string> CreateAsync(string template)
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}{template}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private async Task<string> MigrateTemplateAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        await using (var db = new PostgresAutoDeployDbContext(new DbContextOptionsBuilder<PostgresAutoDeployDbContext>()
                         .UseNpgsql(connectionString).UseAutoDeploy(TimeProvider.System).Options))
        {
            await db.Database.MigrateAsync();
        }
        return new NpgsqlConnectionStringBuilder(connectionString).Database!;
    }

    public async Task InitializeAsync()
    {
        DeleteAbandonedFolders();
        _bin = FindBin();
        _folder = Directory.CreateTempSubdirectory("autodeploy-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"-R postgres:postgres {_folder}");
        }
        await RunAsync(Tool("initdb", asRoot), Args(asRoot, $"{_bin}/initdb -D {_folder}/data -U postgres --auth=trust -E UTF8 --no-locale"));
        // The free port is free only until someone else takes it: another test process (scripts/test.sh runs two) may
        // start a server of its own at the same moment. A start that fails is tried again on another port.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                await RunAsync(Tool("pg_ctl", asRoot), Args(asRoot,
                    $"{_bin}/pg_ctl -D {_folder}/data -l {_folder}/server.log -w -t 60 -o \"-p {Port} -k {_folder} " +
                    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start"));
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    public async Task DisposeAsync()
    {
        var asRoot = Environment.UserName == "root";
        try
        {
            await RunAsync(Tool("pg_ctl", asRoot), Args(asRoot, $"{_bin}/pg_ctl -D {_folder}/data -m immediate -w stop"));
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>
    /// Folders of servers whose test run was killed before it could stop them (the process-wide server of the app's
    /// tests stops when the test host exits, which may kill it first): an hour old and no postmaster running in them.
    /// </summary>
    private static void DeleteAbandonedFolders()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), "autodeploy-pg-*"))
        {
            var pidFile = Path.Combine(folder, "data", "postmaster.pid");
            var running = File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}");
            if (!running && DateTime.UtcNow - Directory.GetCreationTimeUtc(folder) > TimeSpan.FromHours(1))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another run's, or not ours to delete: left as it is.
                }
            }
        }
    }

    private string Tool(string name, bool asRoot) => asRoot ? "runuser" : $"{_bin}/{name}";

    private static string Args(bool asRoot, string command) =>
        asRoot ? $"-u postgres -- {command}" : command[(command.IndexOf(' ') + 1)..];

    private static string FindBin()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).Order().LastOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql. Install them: apt-get install -y postgresql");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
