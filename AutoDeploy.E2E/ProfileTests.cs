using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Identity;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class ProfileTests(E2EFixture fixture)
{
    [Fact]
    public async Task An_api_key_created_on_the_profile_acts_as_its_user_until_revoked()
    {
        var email = $"deployer-{Guid.NewGuid():N}@autodeploy.test";
        await fixture.CreateUserAsync(email, "Deployer-Passw0rd!", Roles.Deployer);
        await using var session = await fixture.NewSessionAsync(email, "Deployer-Passw0rd!");
        var page = session.Page;
        await page.GotoInteractiveAsync("/profile");

        await page.GetByLabel("Key name").FillAsync("CI pipeline");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var key = await page.GetByTestId("new-api-key-value").InnerTextAsync();
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "profile.png") });
        using var client = fixture.CreateApiClient(key.Trim());
        var me = await client.GetFromJsonAsync<MeResponse>("/api/me");

        Assert.Equal(email, me!.Name);
        Assert.Equal([Roles.Deployer], me.Roles);

        await page.GetByTestId("api-keys").GetByRole(AriaRole.Row).Filter(new() { HasText = "CI pipeline" })
            .GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.GetByTestId("api-keys")).ToContainTextAsync("Revoked");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }
}
