using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AutoDeploy.Bench;

/// <summary>
/// The whole server in this process on real Kestrel (a free loopback port) against its own SQLite file, with a
/// bootstrap administrator and API key, as the tests' AutoDeployAppFactory does. Connection pooling stays on, as in production.
/// </summary>
public sealed class BenchServer : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@autodeploy.bench";
    public const string AdminPassword = "Bench-Passw0rd!";
    public const string AdminApiKey = "API-BENCHADMINKEY0123456789ABCDEFG";

    private readonly HashSet<Type> _withoutWorkers;

    /// <param name="settings">Configuration on top of the defaults, e.g. <c>Tasks:LongPoll</c>.</param>
    /// <param name="withoutWorkers">Hosted services not to start (e.g. the AutoDeployWorker when a benchmark drives the engine itself).</param>
    public BenchServer(IReadOnlyDictionary<string, string?>? settings = null, params Type[] withoutWorkers)
    {
        Settings = settings ?? new Dictionary<string, string?>();
        _withoutWorkers = [.. withoutWorkers];
    }

    public string DbPath { get; } = Path.Combine(Path.GetTempPath(), $"autodeploy-bench-{Guid.NewGuid():N}.db");
    public IReadOnlyDictionary<string, string?> Settings { get; }
    public string BaseUrl { get; private set; } = "";

    public IDbContextFactory<AutoDeployDbContext> Db => Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();

    /// <summary>Starts the server on Kestrel and waits for it (migrations, bootstrap administrator); returns its base URL.</summary>
    public static BenchServer Start(IReadOnlyDictionary<string, string?>? settings = null, params Type[] withoutWorkers)
    {
        var server = new BenchServer(settings, withoutWorkers);
        server.UseKestrel(0);
        server.StartServer();
        server.BaseUrl = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    /// <summary>An HTTP client on the Kestrel address that authenticates as the bootstrap administrator.</summary>
    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminApiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Default", $"Data Source={DbPath}");
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Bootstrap:AdminApiKey", AdminApiKey);
        // Benches register thousands of agents from one address, wave after wave: they measure the fleet, not this limit.
        builder.UseSetting("Api:RegistrationBurst", "1000000");
        // Request and query logging would cost more than what is measured.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations", "Error");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            var removed = services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType is { } type && _withoutWorkers.Contains(type))
                .ToList();
            foreach (var descriptor in removed)
            {
                services.Remove(descriptor);
            }
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DbPath + suffix);
        }
    }
}
