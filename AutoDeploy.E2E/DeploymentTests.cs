using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>Releases deployed from the browser to machines served by real agent processes.</summary>
[Collection("e2e")]
public sealed class DeploymentTests(E2EFixture fixture) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly List<AgentProcess> _agents = [];
    private readonly HttpClient _api = fixture.CreateApiClient();
    private string Environment => $"Deploy {_suffix}";

    /// <summary>A fresh project name for each deployment, in this class's environment.</summary>
    private string NewProject => $"Shop {_suffix} {Guid.NewGuid():N}"[..30];

    public async Task InitializeAsync() =>
        (await _api.PostAsJsonAsync("/api/environments", new { name = Environment })).EnsureSuccessStatusCode();

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        _api.Dispose();
    }

    [Fact]
    public async Task Deploying_a_release_to_two_agents_shows_the_log_growing_and_Success_for_both()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"autodeploy-e2e-{_suffix}");
        var releaseId = await _api.CreateReleaseAsync(NewProject,
            $"echo \"started on $AUTODEPLOY_MACHINE\"\nwhile [ ! -f {marker} ]; do sleep 0.1; done\necho \"finished on $AUTODEPLOY_MACHINE\"");
        await StartAgentAsync($"web-a-{_suffix}");
        await StartAgentAsync($"web-b-{_suffix}");
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync($"/releases/{releaseId}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }).ClickAsync();
        await page.GetByTestId("deploy-environment").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(Environment, new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/deployments/*");
        var log = page.GetByTestId("task-log");
        await Expect(log).ToContainTextAsync($"started on web-a-{_suffix}");
        await Expect(log).ToContainTextAsync($"started on web-b-{_suffix}");
        await Expect(page.Locator("[data-state]").First).ToHaveAttributeAsync("data-state", "Executing");
        await File.WriteAllTextAsync(marker, "go");

        await Expect(page.Locator("[data-state]").First).ToHaveAttributeAsync("data-state", "Success", new() { Timeout = 60_000 });
        await Expect(log).ToContainTextAsync($"finished on web-a-{_suffix}");
        await Expect(page.Locator($"[data-machine-state='web-a-{_suffix}']")).ToHaveTextAsync("Success");
        await Expect(page.Locator($"[data-machine-state='web-b-{_suffix}']")).ToHaveTextAsync("Success");
        await Expect(page.GetByTestId("progress")).ToHaveTextAsync("2 / 2 machines done");
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "deployment.png"), FullPage = true });
        File.Delete(marker);
    }

    [Fact]
    public async Task A_failing_script_shows_Failed_with_its_output()
    {
        var releaseId = await _api.CreateReleaseAsync(NewProject, "echo 'disk full' >&2\nexit 4");
        await StartAgentAsync($"web-f-{_suffix}");
        var deploymentId = await _api.DeployAsync(releaseId, Environment);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;

        await page.GotoInteractiveAsync($"/deployments/{deploymentId}");

        await Expect(page.Locator("[data-state]").First).ToHaveAttributeAsync("data-state", "Failed", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("task-log")).ToContainTextAsync("disk full");
        await Expect(page.Locator($"[data-machine-state='web-f-{_suffix}']")).ToHaveTextAsync("Failed");
        await Expect(page.GetByText("exit code 4").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Canceling_a_long_step_from_the_page_ends_the_deployment_Canceled()
    {
        var releaseId = await _api.CreateReleaseAsync(NewProject, "echo 'long step started'\nsleep 600");
        await StartAgentAsync($"web-c-{_suffix}");
        var deploymentId = await _api.DeployAsync(releaseId, Environment);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync($"/deployments/{deploymentId}");
        await Expect(page.GetByTestId("task-log")).ToContainTextAsync("long step started");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Expect(page.Locator("[data-state]").First).ToHaveAttributeAsync("data-state", "Canceled", new() { Timeout = 60_000 });
        await Expect(page.Locator($"[data-machine-state='web-c-{_suffix}']")).ToHaveTextAsync("Canceled");
    }

    [Fact]
    public async Task The_deployments_list_shows_a_deployment_and_opens_it()
    {
        var releaseId = await _api.CreateReleaseAsync(NewProject, "echo listed");
        await StartAgentAsync($"web-l-{_suffix}");
        var deploymentId = await _api.DeployAsync(releaseId, Environment);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;

        await page.GotoInteractiveAsync("/deployments");
        await page.GetByRole(AriaRole.Link, new() { Name = deploymentId.ToString(), Exact = true }).ClickAsync();

        await page.WaitForURLAsync($"**/deployments/{deploymentId}");
        await Expect(page.Locator("[data-state]").First).ToHaveAttributeAsync("data-state", "Success", new() { Timeout = 60_000 });
    }

    /// <summary>Registers a machine with the real agent program, starts it, and waits until its first health check made it Healthy.</summary>
    private async Task StartAgentAsync(string name)
    {
        var agent = new AgentProcess();
        _agents.Add(agent);
        var exit = await agent.RunToEndAsync("register", "--server", fixture.BaseUrl, "--api-key", E2EFixture.AdminApiKey,
            "--name", name, "--environment", Environment, "--role", "web");
        Assert.True(exit == 0, agent.Output);
        agent.StartRun();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await IsHealthyAsync(name))
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    private async Task<bool> IsHealthyAsync(string name)
    {
        var machines = await _api.GetFromJsonAsync<JsonElement>($"/api/machines?search={name}");
        return machines.GetProperty("items").EnumerateArray().Any(m => m.GetProperty("healthStatus").GetString() == "Healthy");
    }
}
