using System.Net;
using System.Net.Http.Json;
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
        await RegisterAsync(name, $"E2E {suffix}", $"role-{suffix}");
        await using var session = await fixture.NewSessionAsync();
        var machines = new MachinesPageObject(session.Page);

        await machines.GotoListAsync();
        await machines.SearchAsync(suffix);
        await Expect(machines.Rows).ToHaveCountAsync(1);
        await Expect(machines.Rows).ToContainTextAsync($"role-{suffix}");
        await machines.OpenAsync(name);
        await Expect(machines.Heading(name)).ToBeVisibleAsync();
        await machines.DisableAsync();

        await Expect(machines.EnabledState).ToHaveTextAsync("Disabled");
        await Expect(machines.Events.First).ToHaveAttributeAsync("data-category", "MachineDisabled");
        await session.Page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "machine.png"), FullPage = true });
    }

    /// <summary>A machine registered through the API (as the agent's register command does) in a new environment.</summary>
    private async Task RegisterAsync(string name, string environment, string role)
    {
        using var client = fixture.CreateApiClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/environments", new { name = environment })).StatusCode);
        var response = await client.PostAsJsonAsync("/api/machines/register", new { name, environments = new[] { environment }, roles = new[] { role } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
