using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>The sign-in page (<c>/account/login</c>, static server rendering): fill in, submit, land on the page asked for.</summary>
public static class SignInPage
{
    public static ILocator Email(this IPage page) => page.GetByLabel("Email", new() { Exact = true });
    public static ILocator Password(this IPage page) => page.GetByLabel("Password", new() { Exact = true });
    public static ILocator SignInError(this IPage page) => page.GetByTestId("login-error");

    /// <summary>Fills in and submits the sign-in form of the current page, returning whether the server accepted it.</summary>
    public static async Task<bool> SubmitSignInAsync(this IPage page, string email, string password)
    {
        await page.Email().FillAsync(email);
        await page.Password().FillAsync(password);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/account/login", StringComparison.Ordinal));
        // Accepted: a redirect to the page asked for. Refused: the form again, with a message.
        return response.Status == 302;
    }

    /// <summary>Signs in through the sign-in page and waits until the browser has left it.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        if (!await page.SubmitSignInAsync(email, password))
        {
            throw new InvalidOperationException($"Signing in as {email} was refused: {await page.SignInError().InnerTextAsync()}");
        }
        // Only until the address has changed: callers go on with GotoInteractiveAsync or auto-waiting assertions. Not
        // WaitForURLAsync: called once the redirect has already committed, it waits for the page's load state instead of
        // the commit, and beside stress-ng that wait ran out after 30 s.
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = 30_000 });
    }
}
