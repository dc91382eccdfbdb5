using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class MachinesTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_registered_machine_can_be_found_opened_and_disabled()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = $"e2e-web-{suffix}";
        await AddEnvironmentAsync($"E2E {suffix}");
        await RegisterAsync(name, $"E2E {suffix}", $"role-{suffix}");
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;

        await page.GotoInteractiveAsync("/machines");
        await page.GetByLabel("Search").FillAsync(suffix);
        var link = page.Locator(".machines-table tbody a", new() { HasText = name });
        await Expect(page.Locator(".machines-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator(".machines-table tbody tr")).ToContainTextAsync($"role-{suffix}");
        await link.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();

        await Expect(page.GetByTestId("machine-enabled")).ToHaveTextAsync("Disabled");
        await Expect(page.Locator(".machine-events tbody tr").First).ToHaveAttributeAsync("data-category", "MachineDisabled");
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "machine.png"), FullPage = true });
    }

    private async Task AddEnvironmentAsync(string name)
    {
        var factory = fixture.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        db.Environments.Add(DeploymentEnvironment.Create(name, null, 0));
        await db.SaveChangesAsync();
    }

    private async Task RegisterAsync(string name, string environment, string role)
    {
        using var client = fixture.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/machines/register", new { name, environments = new[] { environment }, roles = new[] { role } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
