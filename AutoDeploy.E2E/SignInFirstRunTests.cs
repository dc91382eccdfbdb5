using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>A second app WITHOUT Bootstrap settings: the first visitor creates the administrator.</summary>
[Collection("e2e")]
public sealed class SignInFirstRunTests(E2EFixture fixture)
{
    [Fact]
    public async Task The_first_visitor_creates_the_administrator_and_is_signed_in()
    {
        await using var app = E2EApp.Start(bootstrap: false);
        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/environments");
        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("owner@autodeploy.test");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Owner-Passw0rd!");
        await page.GetByLabel("Confirm password").FillAsync("Owner-Passw0rd!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("user-menu")).ToContainTextAsync("owner@autodeploy.test");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToBeVisibleAsync();
    }
}
