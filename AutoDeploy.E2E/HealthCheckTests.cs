using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class HealthCheckTests(E2EFixture fixture)
{
    [Fact]
    public async Task Check_health_of_a_machine_served_by_a_real_agent_shows_it_Healthy_and_the_run_Success()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var environment = $"Health {suffix}";
        var policy = $"Checked-{suffix}";
        var machine = $"e2e-agent-{suffix}";
        using var api = fixture.CreateApiClient();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/environments", new { name = environment })).StatusCode);
        var policyId = await CreatePolicyAsync(api, policy);
        await using var agents = new E2EAgents(fixture);
        var machineId = await agents.StartAsync(machine, environment);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        var machines = new MachinesPageObject(page);
        await machines.GotoAsync(machineId);

        await machines.SetPolicyAsync(policy);
        await Expect(machines.PolicyLink(policyId)).ToHaveTextAsync(policy);
        await machines.CheckHealthAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/health-checks/\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Check health of {machine}" })).ToBeVisibleAsync();
        await Expect(page.Locator($".health-check-machines tr[data-machine='{machine}'] [data-health]"))
            .ToHaveAttributeAsync("data-health", "Healthy", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "Success");
        await Expect(page.GetByTestId("summary")).ToHaveTextAsync("1 machine(s) checked.");
        await Expect(page.GetByTestId("task-log")).ToContainTextAsync($"{machine}: Healthy.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "health-check.png"), FullPage = true });
    }

    private static async Task<int> CreatePolicyAsync(HttpClient api, string name)
    {
        var response = await api.PostAsJsonAsync("/api/machine-policies", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedPolicy>())!.Id;
    }

    private sealed record CreatedPolicy(int Id);
}
