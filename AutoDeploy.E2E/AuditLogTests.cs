using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class AuditLogTests(E2EFixture fixture)
{
    [Fact]
    public async Task Filtering_by_MachineDisabled_shows_the_disabled_machine()
    {
        var machine = await DisableNewMachineAsync();
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync("/audit");

        await page.Select("Category").PickAsync("MachineDisabled");
        await page.Keyboard.PressAsync("Escape");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/audit\?category=MachineDisabled$"));
        await Expect(MessageCell(page, $"Machine '{machine}' was disabled")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Opening_the_address_with_a_category_applies_the_filter()
    {
        var machine = await DisableNewMachineAsync();
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;

        await page.GotoInteractiveAsync("/audit?category=MachineDisabled");

        await Expect(MessageCell(page, $"Machine '{machine}' was disabled")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-category]:not([data-category='MachineDisabled'])")).ToHaveCountAsync(0);
        await Expect(page.Select("Category").Locator("input").First).ToHaveValueAsync("MachineDisabled");
    }

    private static ILocator MessageCell(IPage page, string message) =>
        page.Locator("td[data-label='Message']").GetByText(message, new() { Exact = true });

    /// <summary>Registers a machine with a unique name and disables it, straight through the database.</summary>
    private async Task<string> DisableNewMachineAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var factory = fixture.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var environment = DeploymentEnvironment.Create($"Audit {suffix}", null, 0);
        var policy = await db.MachinePolicies.SingleAsync(p => p.IsDefault);
        var machine = Machine.Register($"audit-{suffix}", [environment], ["web"], policy, DateTimeOffset.UtcNow);
        db.AddRange(environment, machine);
        await db.SaveChangesAsync();
        machine.Disable();
        await db.SaveChangesAsync();
        return machine.Name;
    }
}
