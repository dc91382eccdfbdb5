using System.Net.Http.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>A deployment that failed on one of two machines, retried from its page on that machine only.</summary>
[Collection("e2e")]
public sealed class RetryFailedMachinesTests(E2EFixture fixture) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly E2EAgents _agents = new(fixture);
    private readonly HttpClient _api = fixture.CreateApiClient();
    private readonly string _fixedMarker = Path.Combine(Path.GetTempPath(), $"autodeploy-e2e-fixed-{Guid.NewGuid():N}");
    private string Environment => $"Retry {_suffix}";

    public async Task InitializeAsync() =>
        (await _api.PostAsJsonAsync("/api/environments", new { name = Environment })).EnsureSuccessStatusCode();

    public async Task DisposeAsync()
    {
        await _agents.DisposeAsync();
        _api.Dispose();
        File.Delete(_fixedMarker);
    }

    [Fact]
    public async Task Retrying_the_failed_machine_from_the_page_opens_the_retry_which_links_back()
    {
        var (good, broken) = ($"web-ok-{_suffix}", $"web-broken-{_suffix}");
        var releaseId = await _api.CreateReleaseAsync($"Shop {_suffix} retry",
            $"if [ \"$AUTODEPLOY_MACHINE\" = {broken} ] && [ ! -f {_fixedMarker} ]; then echo 'disk full' >&2; exit 3; fi\n" +
            "echo \"installed on $AUTODEPLOY_MACHINE\"");
        await _agents.StartAsync(good, Environment);
        await _agents.StartAsync(broken, Environment);
        var firstId = await _api.DeployAsync(releaseId, Environment);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        var deployment = new DeploymentPageObject(page);
        await deployment.GotoAsync(firstId);
        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Failed", new() { Timeout = 60_000 });
        await File.WriteAllTextAsync(_fixedMarker, "the disk was cleaned");

        await Expect(deployment.RetryFailed).ToHaveTextAsync("Retry failed machines (1)");
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "retry-offered.png"), FullPage = true });
        await deployment.RetryFailed.ClickAsync();

        await page.WaitForURLAsync(new Regex($@"/deployments/(?!{firstId}$)\d+$"));
        await Expect(deployment.RetryOf).ToHaveTextAsync($"Retry of deployment #{firstId}");
        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Success", new() { Timeout = 60_000 });
        await Expect(deployment.MachineState(broken)).ToHaveTextAsync("Success");
        await Expect(deployment.MachineState(good)).ToHaveCountAsync(0);
        await Expect(deployment.Log).ToContainTextAsync($"installed on {broken}");
        await Expect(deployment.RetryFailed).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "retry.png"), FullPage = true });
        var retryId = int.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);

        await deployment.RetryOf.GetByRole(Microsoft.Playwright.AriaRole.Link).ClickAsync();

        await page.WaitForURLAsync($"**/deployments/{firstId}");
        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Failed");
        await Expect(deployment.RetriedBy).ToHaveTextAsync($"Retried by deployment #{retryId}");
        await Expect(deployment.MachineState(good)).ToHaveTextAsync("Success");
    }
}
