using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class UsersTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_viewer_added_by_an_administrator_cannot_open_the_users_page()
    {
        var email = $"viewer-{Guid.NewGuid():N}@autodeploy.test";
        const string password = "Viewer-Passw0rd!";
        await using (var admin = await fixture.NewSessionAsync())
        {
            var page = admin.Page;
            await page.GotoInteractiveAsync("/users");
            var form = page.GetByTestId("new-user");
            await form.GetByLabel("Email").FillAsync(email);
            await form.GetByLabel("Password").FillAsync(password);
            await form.GetByRole(AriaRole.Radio, new() { Name = "Viewer" }).CheckAsync();
            await form.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
            await Expect(page.GetByTestId("users").GetByRole(AriaRole.Row).Filter(new() { HasText = email })).ToBeVisibleAsync();
        }

        await using var viewer = await fixture.NewSessionAsync(email, password);
        await viewer.Page.GotoAsync("/users");

        await Expect(viewer.Page.GetByText("You are not authorized to see this page")).ToBeVisibleAsync();
        await viewer.Page.GotoInteractiveAsync("/");
        await Expect(viewer.Page.GetByRole(AriaRole.Link, new() { Name = "Environments" })).ToBeVisibleAsync();
        await Expect(viewer.Page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_weak_password_is_reported_beside_the_field()
    {
        await using var admin = await fixture.NewSessionAsync();
        var page = admin.Page;
        await page.GotoInteractiveAsync("/users");
        var form = page.GetByTestId("new-user");

        await form.GetByLabel("Email").FillAsync($"weak-{Guid.NewGuid():N}@autodeploy.test");
        await form.GetByLabel("Password").FillAsync("weakpassword");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();

        await Expect(form).ToContainTextAsync(new Regex("at least one digit"));
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "users.png") });
    }
}
