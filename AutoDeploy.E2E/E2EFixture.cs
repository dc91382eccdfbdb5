using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using AutoDeploy.Web.Identity;

namespace AutoDeploy.E2E;

/// <summary>One app on real Kestrel (its own SQLite file) and one Chromium for the whole E2E collection.</summary>
public sealed class E2EFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@autodeploy.test";
    public const string AdminPassword = "Admin-Passw0rd!";
    public const string AdminApiKey = "API-E2EADMINKEY0123456789ABCDEFGHI";

    /// <summary>The browser storage (cookies) of each user's first sign-in, by email.</summary>
    private readonly Dictionary<string, string> _signIns = [];
    private readonly SemaphoreSlim _signingIn = new(1, 1);
    private E2EApp _app = null!;
    private IPlaywright _playwright = null!;

    public string BaseUrl => _app.BaseUrl;

    /// <summary>The app's services, to arrange data the UI has no screen for yet.</summary>
    public IServiceProvider Services => _app.Services;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the E2E suite writes screenshots; the README's screenshot comes from here.</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        File.Delete(E2EDiagnostics.Path);
        Assertions.SetDefaultExpectTimeout(15_000);
        // The app migrates its database while Chromium starts.
        var app = Task.Run(() => E2EApp.Start(bootstrap: true));
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
        _app = await app;
        // The administrator signs in and opens one page before the first test, so the first test does not pay the cold
        // server's start. (A form that "came back empty" on a loaded machine, blamed on the cold start here before, was
        // the app moving the focus to the heading in the middle of the typing: GotoInteractiveAsync now waits for that.)
        await using var first = await NewSessionAsync();
        await first.Page.GotoInteractiveAsync("/");
    }

    /// <summary>
    /// A new browser context and page, signed in as the user (the bootstrap administrator by default): through the
    /// sign-in page the first time, then with the cookies that sign-in left (saving a sign-in per test).
    /// </summary>
    public async Task<E2ESession> NewSessionAsync(string email = AdminEmail, string password = AdminPassword)
    {
        await _signingIn.WaitAsync();
        try
        {
            if (_signIns.TryGetValue(email, out var signedIn))
            {
                var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl, StorageState = signedIn });
                return new E2ESession(context, E2EDiagnostics.Watch(await context.NewPageAsync()));
            }
            var session = await SignInThroughPageAsync(email, password);
            _signIns[email] = await session.Context.StorageStateAsync();
            return session;
        }
        finally
        {
            _signingIn.Release();
        }
    }

    /// <summary>A new browser context and page, signed out.</summary>
    public async Task<E2ESession> NewAnonymousSessionAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl });
        return new E2ESession(context, E2EDiagnostics.Watch(await context.NewPageAsync()));
    }

    /// <summary>A new browser context and page, signed in through the sign-in page: for tests of signing in and out.</summary>
    public async Task<E2ESession> SignInThroughPageAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl });
        var page = E2EDiagnostics.Watch(await context.NewPageAsync());
        await page.SignInAsync(email, password);
        return new E2ESession(context, page);
    }

    /// <summary>Adds a user with one role (Administrator, Deployer or Viewer) directly, as an administrator would on /users.</summary>
    public async Task CreateUserAsync(string email, string password, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserService>()
            .CreateAsync(new NewUserInput { Email = email, Password = password, Role = role });
        if (!result.Result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {email}: {result.Result.Message} " +
                string.Join(" ", result.Result.Errors?.SelectMany(e => e.Value) ?? []));
        }
    }

    /// <summary>An HTTP client that authenticates as the bootstrap administrator, for arranging data through the API.</summary>
    public HttpClient CreateApiClient() => CreateApiClient(AdminApiKey);

    /// <summary>An HTTP client that sends the given API key.</summary>
    public HttpClient CreateApiClient(string apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        _signingIn.Dispose();
        await _app.DisposeAsync();
    }
}

public sealed record E2ESession(IBrowserContext Context, IPage Page) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Context.DisposeAsync();
}

[CollectionDefinition("e2e")]
public sealed class E2ECollection : ICollectionFixture<E2EFixture>;
