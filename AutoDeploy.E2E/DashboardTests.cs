using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>A deployment watched while it runs on a real agent: the dashboard's cell and the deployment's log, live.</summary>
[Collection("e2e")]
public sealed class DashboardTests(E2EFixture fixture) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient _api = fixture.CreateApiClient();
    private readonly E2EAgents _agents = new(fixture);
    private readonly List<string> _markers = [];
    private string Environment => $"Live {_suffix}";
    private string Project => $"Live shop {_suffix}";

    public async Task InitializeAsync() =>
        (await _api.PostAsJsonAsync("/api/environments", new { name = Environment })).EnsureSuccessStatusCode();

    public async Task DisposeAsync()
    {
        await _agents.DisposeAsync();
        _api.Dispose();
        foreach (var marker in _markers)
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task A_running_deployment_shows_progress_on_the_dashboard_and_streams_its_log_while_the_script_waits()
    {
        var first = Marker("first");
        var second = Marker("second");
        var releaseId = await _api.CreateReleaseAsync(Project, string.Join('\n',
            "echo \"phase one on $AUTODEPLOY_MACHINE\"",
            "for i in $(seq 1 150); do echo \"filler line $i\"; done",
            $"while [ ! -f {first} ]; do sleep 0.1; done",
            "for i in $(seq 1 50); do echo \"more line $i\"; done",
            $"while [ ! -f {second} ]; do sleep 0.1; done",
            "echo 'phase three'"));
        await _agents.StartAsync($"live-{_suffix}", Environment);
        await using var session = await fixture.NewSessionAsync();
        var dashboard = session.Page;
        await dashboard.GotoInteractiveAsync("/");
        var cell = dashboard.Locator($"[data-cell='{Project}|{Environment}']");
        await Expect(cell.GetByTestId("cell-empty")).ToBeVisibleAsync();

        var deploymentId = await _api.DeployAsync(releaseId, Environment);

        await Expect(cell.GetByTestId("cell-progress")).ToHaveTextAsync("0 / 1 machines");
        await Expect(cell.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "Executing");
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await dashboard.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "dashboard.png"), FullPage = true });
        var deployment = new DeploymentPageObject(await session.Context.NewPageAsync());
        await deployment.GotoAsync(deploymentId);
        var log = deployment.Log;
        await Expect(log).ToContainTextAsync("filler line 150");
        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Executing");
        await Expect(log).ToHaveAttributeAsync("data-following", "true");
        Assert.True(await IsAtBottomAsync(log), "the log follows new lines while the reader is at the bottom");

        // Scrolled up, the reader keeps their place while lines arrive.
        await ScrollAsync(log, "0");
        await File.WriteAllTextAsync(first, "go");
        await Expect(log).ToContainTextAsync("more line 50");
        Assert.Equal(0, await log.EvaluateAsync<double>("el => el.scrollTop"));

        // Back at the bottom, it follows again.
        await ScrollAsync(log, "el.scrollHeight");
        await File.WriteAllTextAsync(second, "go");
        await Expect(log).ToContainTextAsync("phase three");
        Assert.True(await IsAtBottomAsync(log), "the log follows again once the reader is back at the bottom");

        await Expect(cell.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "Success", new() { Timeout = 60_000 });
        await Expect(cell.GetByTestId("cell-progress")).ToHaveCountAsync(0);
        await Expect(deployment.Progress).ToHaveTextAsync("1 / 1 machines done");
    }

    private static Task<bool> IsAtBottomAsync(ILocator log) =>
        log.EvaluateAsync<bool>("el => el.scrollHeight - el.scrollTop - el.clientHeight < 8");

    /// <summary>Scrolls the log and waits two frames, so its scroll handler has seen where the reader is.</summary>
    private static Task ScrollAsync(ILocator log, string top) =>
        log.EvaluateAsync($"async el => {{ el.scrollTop = {top}; await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); }}");

    private string Marker(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"autodeploy-e2e-{_suffix}-{name}");
        _markers.Add(path);
        return path;
    }
}
