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

    /// <summary>The cookie ASP.NET Core Identity signs a browser in with.</summary>
    private const string SignInCookie = ".AspNetCore.Identity.Application";

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
        // The sign-in cookie is all the context needs, so the landing page is not waited for. Waiting for the browser to
        // leave the sign-in page hung twice in full test runs on a busy machine (once for the "load" state, once for the
        // URL, after the page had gone network-idle on a URL still of the sign-in page), and said nothing about why.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await context.CookiesAsync()).Any(c => c.Name == SignInCookie))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"Signing in as {email} answered {response.Status} to {response.Headers.GetValueOrDefault("location")}, but no {SignInCookie} " +
                    $"cookie arrived within 60 s; the page is at {page.Url}.");
            }
            await Task.Delay(50);
        }
        await page.CloseAsync();
        return context;
    }

    /// <summary>
    /// Waits for the Blazor circuit (MainLayout's marker): before it, the page is only prerendered HTML. A page that was
    /// sent to the sign-in page instead says so at once.
    /// </summary>
    public static async Task WaitForInteractiveAsync(IPage page)
    {
        if (page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The page was sent to sign in ({page.Url}): the context's sign-in cookie was not accepted.");
        }
        await page.Locator("[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 120_000 });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
