using Microsoft.Playwright;

namespace AutoDeploy.E2E;

public static class PageExtensions
{
    /// <summary>Navigates and waits for the Blazor circuit: clicks before it are silently lost.</summary>
    public static async Task GotoInteractiveAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForInteractiveAsync();
    }

    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
}
