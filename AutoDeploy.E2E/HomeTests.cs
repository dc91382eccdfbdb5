using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class HomeTests(E2EFixture fixture)
{
    [Fact]
    public async Task The_start_page_renders_with_the_navigation()
    {
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;

        await page.GotoInteractiveAsync("/");

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Environments" })).ToBeVisibleAsync();
    }
}
