using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class SignInTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_then_the_right_one_signs_in()
    {
        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));

        var accepted = await page.SubmitSignInAsync(E2EFixture.AdminEmail, "Wrong-Passw0rd!");

        Assert.False(accepted);
        await Expect(page.SignInError()).ToContainTextAsync("Wrong email or password");
        await Expect(page.Email()).ToHaveValueAsync(E2EFixture.AdminEmail);
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "sign-in-refused.png") });

        accepted = await page.SubmitSignInAsync(E2EFixture.AdminEmail, E2EFixture.AdminPassword);

        Assert.True(accepted);
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("user-menu")).ToContainTextAsync(E2EFixture.AdminEmail);
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "signed-in.png") });
    }

    [Fact]
    public async Task Signing_out_from_the_user_menu_returns_to_the_sign_in_page()
    {
        await using var session = await fixture.SignInThroughPageAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync("/");

        await page.GetByRole(AriaRole.Button, new() { Name = E2EFixture.AdminEmail }).First.ClickAsync();
        await Expect(page.GetByTestId("user-role")).ToHaveTextAsync("Administrator");
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "user-menu.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
    }

    [Fact]
    public async Task The_sign_in_page_looks_right()
    {
        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseUrl });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/login");

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "sign-in.png") });
    }
}
