using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>Releases deployed from the browser to machines served by real agents.</summary>
[Collection("e2e")]
public sealed class DeploymentTests(E2EFixture fixture) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly E2EAgents _agents = new(fixture);
    private readonly HttpClient _api = fixture.CreateApiClient();
    private string Environment => $"Deploy {_suffix}";

    /// <summary>A fresh project name for each deployment, in this class's environment.</summary>
    private string NewProject => $"Shop {_suffix} {Guid.NewGuid():N}"[..30];

    public async Task InitializeAsync() =>
        (await _api.PostAsJsonAsync("/api/environments", new { name = Environment })).EnsureSuccessStatusCode();

    public async Task DisposeAsync()
    {
        await _agents.DisposeAsync();
        _api.Dispose();
    }

    [Fact]
    public async Task Deploying_a_release_to_two_agents_shows_the_log_growing_and_Success_for_both()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"autodeploy-e2e-{_suffix}");
        var releaseId = await _api.CreateReleaseAsync(NewProject,
            $"echo \"started on $AUTODEPLOY_MACHINE\"\nwhile [ ! -f {marker} ]; do sleep 0.1; done\necho \"finished on $AUTODEPLOY_MACHINE\"");
        await _agents.StartAsync($"web-a-{_suffix}", Environment);
        await _agents.StartAsync($"web-b-{_suffix}", Environment);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync($"/releases/{releaseId}");

        var deployment = new DeploymentPageObject(page);
        await deployment.DeployFromReleasePageAsync(Environment);
        await Expect(deployment.Log).ToContainTextAsync($"started on web-a-{_suffix}");
        await Expect(deployment.Log).ToContainTextAsync($"started on web-b-{_suffix}");
        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Executing");
        await File.WriteAllTextAsync(marker, "go");

        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Success", new() { Timeout = 60_000 });
        await Expect(deployment.Log).ToContainTextAsync($"finished on web-a-{_suffix}");
        await Expect(deployment.MachineState($"web-a-{_suffix}")).ToHaveTextAsync("Success");
        await Expect(deployment.MachineState($"web-b-{_suffix}")).ToHaveTextAsync("Success");
        await Expect(deployment.Progress).ToHaveTextAsync("2 / 2 machines done");
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "deployment.png"), FullPage = true });
        File.Delete(marker);
    }

    [Fact]
    public async Task A_failing_script_shows_Failed_with_its_output()
    {
        var releaseId = await _api.CreateReleaseAsync(NewProject, "echo 'disk full' >&2\nexit 4");
        await _agents.StartAsync($"web-f-{_suffix}", Environment);
        var deploymentId = await _api.DeployAsync(releaseId, Environment);
        await using var session = await fixture.NewSessionAsync();
        var deployment = new DeploymentPageObject(session.Page);

        await deployment.GotoAsync(deploymentId);

        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Failed", new() { Timeout = 60_000 });
        await Expect(deployment.Log).ToContainTextAsync("disk full");
        await Expect(deployment.MachineState($"web-f-{_suffix}")).ToHaveTextAsync("Failed");
        await Expect(session.Page.GetByText("exit code 4").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Canceling_a_long_step_from_the_page_ends_the_deployment_Canceled()
    {
        var releaseId = await _api.CreateReleaseAsync(NewProject, "echo 'long step started'\nsleep 600");
        await _agents.StartAsync($"web-c-{_suffix}", Environment);
        var deploymentId = await _api.DeployAsync(releaseId, Environment);
        await using var session = await fixture.NewSessionAsync();
        var deployment = new DeploymentPageObject(session.Page);
        await deployment.GotoAsync(deploymentId);
        await Expect(deployment.Log).ToContainTextAsync("long step started");

        await deployment.CancelAsync();

        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Canceled", new() { Timeout = 60_000 });
        await Expect(deployment.MachineState($"web-c-{_suffix}")).ToHaveTextAsync("Canceled");
    }

    [Fact]
    public async Task The_deployments_list_shows_a_deployment_and_opens_it()
    {
        var releaseId = await _api.CreateReleaseAsync(NewProject, "echo listed");
        await _agents.StartAsync($"web-l-{_suffix}", Environment);
        var deploymentId = await _api.DeployAsync(releaseId, Environment);
        await using var session = await fixture.NewSessionAsync();
        var deployment = new DeploymentPageObject(session.Page);

        await deployment.OpenFromListAsync(deploymentId);

        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Success", new() { Timeout = 60_000 });
    }
}
