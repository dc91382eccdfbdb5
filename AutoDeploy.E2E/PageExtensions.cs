using Microsoft.Playwright;

namespace AutoDeploy.E2E;

public static class PageExtensions
{
    /// <summary>
    /// Navigates and waits for the Blazor circuit (clicks before it are silently lost) and for the focus on the page's
    /// heading, where the app moves it once the circuit has drawn the page (FocusOnNavigate): a key pressed or a field
    /// focused before that would be undone by it.
    /// </summary>
    public static async Task GotoInteractiveAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("h1")).ToBeFocusedAsync();
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

    /// <summary>
    /// Closes the open list of a MudSelect in <paramref name="dialog"/> (a multi-select stays open after a pick) as a user
    /// does, by clicking the dialog's corner (on the select's overlay), and waits until it is gone. Escape was not enough:
    /// once in CI the list stayed open.
    /// </summary>
    public static async Task CloseListAsync(this ILocator dialog)
    {
        var box = await dialog.BoundingBoxAsync() ?? throw new InvalidOperationException("The dialog is not visible.");
        // The mouse rather than a locator's click: the overlay covers the dialog, which is what the click is for.
        await dialog.Page.Mouse.ClickAsync(box.X + 4, box.Y + 4);
        await Assertions.Expect(dialog.Page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Clicks what opens a dialog and waits until the dialog has focused its first field. The dialog focuses it once its
    /// first render has reached the browser; on a busy machine that came after the test had moved on to the next field, and
    /// the late focus took the rest of the typing (a step's script ended up in its name, a token's role in its name).
    /// </summary>
    public static async Task OpenDialogAsync(this ILocator opener)
    {
        await opener.ClickAsync();
        await Assertions.Expect(opener.Page.Locator(".mud-dialog :is(input, textarea):focus")).ToHaveCountAsync(1);
    }
}
