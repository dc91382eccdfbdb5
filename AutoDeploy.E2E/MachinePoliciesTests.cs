using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class MachinePoliciesTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_policy_created_in_the_browser_explains_a_missing_script_and_is_listed_once_saved()
    {
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        var name = $"Elastic-{Guid.NewGuid():N}"[..16];
        await page.GotoInteractiveAsync("/machine-policies");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add policy" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New machine policy" })).ToBeVisibleAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByText("Run a bash health script").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        var scriptField = page.Locator(".mud-input-control").Filter(new() { Has = page.GetByLabel("Health check script (bash)") });
        await Expect(scriptField).ToContainTextAsync("A RunScript health check needs a script.");
        await page.GetByLabel("Health check script (bash)").FillAsync("df -h / | tail -1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"Saved machine policy '{name}'.")).ToBeVisibleAsync();
        await page.GotoInteractiveAsync("/machine-policies");

        var row = page.Locator(".machine-policies-table tr").Filter(new() { HasText = name });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Every 1 hour, runs a script");
        await Expect(row).ToContainTextAsync("Make default");
    }
}
