using Microsoft.Playwright;

namespace AutoDeploy.Bench;

/// <summary>Debian's Chromium driven by Playwright (RECIPES §7: never a downloaded browser), signed in as the bootstrap administrator.</summary>
public sealed class BenchBrowser : IAsyncDisposable
{
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static async Task<BenchBrowser> LaunchAsync()
    {
        var browser = new BenchBrowser { _playwright = await Playwright.CreateAsync() };
        browser.Browser = await browser._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
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
        return browser;
    }

    /// <summary>A new context signed in through the sign-in page; its pages share the cookie.</summary>
    public async Task<IBrowserContext> SignedInContextAsync(string baseUrl, string email, string password)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseUrl });
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/account/login", StringComparison.Ordinal));
        if (response.Status != 302)
        {
            throw new InvalidOperationException($"Signing in as {email} was refused: {await page.GetByTestId("login-error").InnerTextAsync()}");
        }
        // The cookie is all the context needs: wait only until the redirect commits, not for the landing page's "load"
        // (in a full test run on a busy machine that wait once hung for two minutes after the page had gone idle).
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await page.CloseAsync();
        return context;
    }

    /// <summary>Waits for the Blazor circuit (MainLayout's marker): before it, the page is only prerendered HTML.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 120_000 });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
