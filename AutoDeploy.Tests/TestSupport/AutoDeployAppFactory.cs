using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>
/// The whole app on TestServer against its own SQLite file (or its own PostgreSQL database, see
/// <see cref="AppDatabase"/>), with a bootstrap administrator and API key (the headless set-up of the README)
/// so API tests can authenticate.
/// </summary>
public sealed class AutoDeployAppFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@autodeploy.test";
    public const string AdminPassword = "Admin-Passw0rd!";
    public const string AdminApiKey = "API-TESTADMINKEY0123456789ABCDEFGH";

    public string DbPath { get; } = Path.Combine(Path.GetTempPath(), $"autodeploy-app-{Guid.NewGuid():N}.db");

    /// <summary>The app's package store, deleted with the app.</summary>
    public string PackagesFolder { get; } = Path.Combine(Path.GetTempPath(), $"autodeploy-packages-{Guid.NewGuid():N}");

    /// <summary>Every file in the package store, unfinished uploads (<c>.uploads/</c>) included; none before the first upload.</summary>
    public List<string> PackageFiles() => Directory.Exists(PackagesFolder)
        ? Directory.EnumerateFiles(PackagesFolder, "*", SearchOption.AllDirectories).ToList()
        : [];

    /// <summary>The app's data folder (the set-up token's file), deleted with the app.</summary>
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), $"autodeploy-data-{Guid.NewGuid():N}");

    /// <summary>Extra configuration a test wants, applied after the defaults.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Services a test adds to the app's (e.g. a logger provider that records), after the app's own.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>The app's database, pooled as in production; its pool is emptied when the app is disposed.</summary>
    private string? _connectionString;

    /// <summary>The app's database (once the app has started), for a second node on the same one.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The app has not started yet.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        if (!AppDatabase.IsPostgres && !File.Exists(DbPath))
        {
            // Migrated already, like the PostgreSQL databases: the app finds nothing to migrate when it starts.
            Task.Run(() => SqliteTemplate.CopyToAsync(DbPath)).GetAwaiter().GetResult();
        }
        _connectionString = AppDatabase.IsPostgres ? AppDatabase.CreatePostgresDatabase() : $"Data Source={DbPath}";
        builder.UseSetting("Database:Provider", AppDatabase.IsPostgres ? "Postgres" : "Sqlite");
        builder.UseSetting("ConnectionStrings:Default", _connectionString);
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Bootstrap:AdminApiKey", AdminApiKey);
        builder.UseSetting("Packages:Folder", PackagesFolder);
        builder.UseSetting("Database:DataFolder", DataFolder);
        // Tests call the API and sign in far faster than a person or a script; ApiLimitsTests and SignInLimitsTests set
        // small limits of their own.
        builder.UseSetting("Api:CallerBurst", "1000000");
        builder.UseSetting("Api:AnonymousBurst", "1000000");
        builder.UseSetting("Api:RegistrationBurst", "1000000");
        builder.UseSetting("Api:FailedApiKeyBurst", "1000000");
        builder.UseSetting("SignIn:AddressBurst", "1000000");
        builder.UseSetting("SignIn:AccountBurst", "1000000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        // Every app start hashes the bootstrap administrator's password, and sign-in tests verify passwords: Identity's
        // 100,000 PBKDF2 iterations cost tens of milliseconds each, hundreds of times a run. The hasher itself is Identity's.
        builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
        if (TestServices is { } testServices)
        {
            builder.ConfigureServices(testServices);
        }
    }

    /// <summary>Serves the app on real Kestrel at a free loopback port (for agents and browsers); returns its base URL.</summary>
    public string StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>An HTTP client that authenticates as the bootstrap administrator.</summary>
    public HttpClient CreateApiClient(string apiKey = AdminApiKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>An HTTP client with the API key of a new user who has only the Viewer role.</summary>
    public async Task<HttpClient> CreateViewerClientAsync() => CreateApiClient(await CreateViewerApiKeyAsync());

    /// <summary>The API key of a new user who has only the Viewer role.</summary>
    public async Task<string> CreateViewerApiKeyAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AutoDeployUser>>();
        var email = $"{Guid.NewGuid():N}@viewer.test";
        var viewer = new AutoDeployUser { UserName = email, Email = email };
        await users.CreateAsync(viewer);
        await users.AddToRoleAsync(viewer, Roles.Viewer);
        return await CreateApiKeyAsync(viewer.Id);
    }

    /// <summary>A new API key of the user; returns its secret.</summary>
    public async Task<string> CreateApiKeyAsync(string userId)
    {
        var key = ApiKey.Generate();
        await using var db = await Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        db.ApiKeys.Add(ApiKey.Create(userId, "test", key, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        return key;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is not null)
        {
            // Idle pooled connections would outlive the app: PostgreSQL's connection slots, SQLite's open file.
            if (AppDatabase.IsPostgres)
            {
                NpgsqlConnection.ClearPool(new NpgsqlConnection(_connectionString));
            }
            else
            {
                SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
            }
        }
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DbPath + suffix);
        }
        foreach (var folder in new[] { PackagesFolder, DataFolder }.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
