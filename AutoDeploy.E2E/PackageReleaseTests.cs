using AutoDeploy.Tests.Packages;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>A release that pins a package version chosen in the browser, deployed to a real agent that installs it.</summary>
[Collection("e2e")]
public sealed class PackageReleaseTests(E2EFixture fixture) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly E2EAgents _agents = new(fixture);
    private readonly HttpClient _api = fixture.CreateApiClient();
    private string Environment => $"Packages {_suffix}";
    private string PackageId => $"E2E.App{_suffix}";

    public async Task InitializeAsync() =>
        (await _api.PostAsJsonAsync("/api/environments", new { name = Environment })).EnsureSuccessStatusCode();

    public async Task DisposeAsync()
    {
        await _agents.DisposeAsync();
        _api.Dispose();
    }

    [Fact]
    public async Task A_release_pinning_the_older_version_picked_in_the_dialog_deploys_it_and_the_machine_page_shows_it()
    {
        await UploadAsync("1.0.0");
        await UploadAsync("1.1.0");
        var project = $"Shop {_suffix}";
        var created = await _api.PostAsJsonAsync("/api/projects", new
        {
            name = project,
            steps = new[] { new { name = "Install", roles = new[] { "web" }, timeout = "00:05:00", packageId = PackageId, script = "echo \"installed $(cat version.txt)\"" } },
        });
        created.EnsureSuccessStatusCode();
        var projectId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
        var machineId = await _agents.StartAsync($"web-p-{_suffix}", Environment);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        var projects = new ProjectsPageObject(page);
        await projects.GotoAsync(projectId);

        await projects.OpenTabAsync("Releases");
        await projects.OpenCreateReleaseDialogAsync();
        var picker = projects.Dialog.GetByRole(AriaRole.Combobox, new() { Name = $"Package {PackageId}" });
        await Expect(picker).ToHaveTextAsync("1.1.0");
        await picker.PickAsync("1.0.0");
        await Expect(picker).ToHaveTextAsync("1.0.0");
        await projects.CreateReleaseAsync("2.0.0", notes: "The older package");
        await projects.ReleaseLink("2.0.0").ClickAsync();
        await Expect(page.GetByTestId("step-package")).ToHaveTextAsync($"{PackageId} 1.0.0");

        var deployment = new DeploymentPageObject(page);
        await deployment.DeployFromReleasePageAsync(Environment);
        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Success", new() { Timeout = 60_000 });
        await Expect(deployment.Log).ToContainTextAsync("installed 1.0.0");

        var machines = new MachinesPageObject(page);
        await machines.GotoAsync(machineId);
        await Expect(machines.Releases.Locator($"tr[data-project='{project}']")).ToContainTextAsync("2.0.0");
        await Expect(machines.Releases.GetByTestId("machine-package")).ToHaveTextAsync($"{PackageId} 1.0.0");
    }

    private async Task UploadAsync(string version)
    {
        using var body = TestArchives.Body(TestArchives.Zip(("version.txt", version)));
        (await _api.PostAsync($"/api/packages?fileName={PackageId}.{version}.zip", body)).EnsureSuccessStatusCode();
    }
}
