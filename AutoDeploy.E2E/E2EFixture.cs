using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>One app on real Kestrel (its own SQLite file) and one Chromium for the whole E2E collection.</summary>
public sealed class E2EFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@autodeploy.test";
    public const string AdminPassword = "Admin-Passw0rd!";
    public const string AdminApiKey = "API-E2EADMINKEY0123456789ABCDEFGHI";

    private AppFactory _factory = null!;
    private IPlaywright _playwright = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The app's services, to arrange data the UI has no screen for yet.</summary>
    public IServiceProvider Services => _factory.Services;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the E2E suite writes screenshots; the README's screenshot comes from here.</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        _factory = new AppFactory();
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Timeout = 60_000,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run", "--no-default-browser-check",
            ],
        });
    }

    /// <summary>A new browser context and page, signed in as the given user (the bootstrap administrator by default).</summary>
    public async Task<E2ESession> NewSessionAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl });
        var page = await context.NewPageAsync();
        // Sign-in arrives with the sign-in screen; until then every page is open.
        _ = (email, password);
        return new E2ESession(context, page);
    }

    /// <summary>An HTTP client that authenticates as the bootstrap administrator, for arranging data through the API.</summary>
    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminApiKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class AppFactory : WebApplicationFactory<Program>
    {
        private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"autodeploy-e2e-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Default", $"Data Source={_dbPath};Pooling=False");
            builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
            builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
            builder.UseSetting("Bootstrap:AdminApiKey", AdminApiKey);
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_dbPath + suffix);
            }
        }
    }
}

public sealed record E2ESession(IBrowserContext Context, IPage Page) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Context.DisposeAsync();
}

[CollectionDefinition("e2e")]
public sealed class E2ECollection : ICollectionFixture<E2EFixture>;
