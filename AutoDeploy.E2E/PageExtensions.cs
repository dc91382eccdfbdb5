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

    /// <summary>The MudSelect labelled <paramref name="label"/>.</summary>
    public static ILocator Select(this IPage page, string label) => page.Locator("body").Select(label);

    /// <summary>The MudSelect labelled <paramref name="label"/> within <paramref name="scope"/>.</summary>
    public static ILocator Select(this ILocator scope, string label) =>
        scope.Locator("div.mud-select").Filter(new() { Has = scope.Page.GetByText(label, new() { Exact = true }) }).First;

    /// <summary>Opens a MudSelect and picks the option of exactly that text from its list.</summary>
    public static async Task PickAsync(this ILocator select, string option)
    {
        await select.ClickAsync();
        await select.Page.Locator(".mud-popover-open").GetByText(option, new() { Exact = true }).ClickAsync();
    }
}
