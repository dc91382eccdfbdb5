using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>The live feed across browsers: what one user changes, another sees without reloading.</summary>
[Collection("e2e")]
public sealed class ActivityTests(E2EFixture fixture)
{
    [Fact]
    public async Task An_environment_created_in_one_browser_appears_in_anothers_activity_feed_and_dashboard()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var environment = $"Feed {suffix}";
        using var api = fixture.CreateApiClient();
        // The dashboard shows its grid once there is a project and an environment to show (this test may run first).
        (await api.PostAsJsonAsync("/api/projects", new { name = $"Feed project {suffix}" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/environments", new { name = $"Feed first {suffix}" })).EnsureSuccessStatusCode();
        await using var watcher = await fixture.NewSessionAsync();
        var activity = watcher.Page;
        await activity.GotoInteractiveAsync("/activity");
        var dashboard = await watcher.Context.NewPageAsync();
        await dashboard.GotoInteractiveAsync("/");
        await Expect(dashboard.Locator($"tr[data-project='Feed project {suffix}']")).ToBeVisibleAsync();
        await using var actor = await fixture.NewSessionAsync();
        var environments = new EnvironmentsPageObject(actor.Page);
        await environments.GotoAsync();

        await environments.AddAsync(environment);

        await Expect(activity.Locator(".activity-item").Filter(new() { HasText = $"Environment '{environment}' was created" }))
            .ToBeVisibleAsync();
        await Expect(dashboard.Locator($"th[data-environment='{environment}']")).ToBeVisibleAsync();
        await Expect(dashboard.Locator($"[data-cell='Feed project {suffix}|{environment}'] [data-testid='cell-empty']")).ToBeVisibleAsync();
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await activity.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "activity.png") });
    }

    [Fact]
    public async Task The_activity_page_filtered_to_a_group_shows_new_events_of_that_group_only()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var api = fixture.CreateApiClient();
        await using var watcher = await fixture.NewSessionAsync();
        var page = watcher.Page;
        await page.GotoInteractiveAsync("/activity");
        await page.Select("Group").PickAsync("Releases");
        await Expect(page.Locator(".activity-item[data-group='Changes']")).ToHaveCountAsync(0);

        var project = await api.PostAsJsonAsync("/api/projects", new
        {
            name = $"Filtered {suffix}",
            steps = new[] { new { name = "Deploy", roles = new[] { "web" }, script = "echo hi", timeout = "00:05:00" } },
        });
        project.EnsureSuccessStatusCode();
        var projectId = (await project.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
        (await api.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "4.2.0" })).EnsureSuccessStatusCode();

        await Expect(page.Locator(".activity-item").Filter(new() { HasText = $"Release 4.2.0 of 'Filtered {suffix}' was created" }))
            .ToBeVisibleAsync();
        await Expect(page.Locator(".activity-item").Filter(new() { HasText = $"Project 'Filtered {suffix}' was created" }))
            .ToHaveCountAsync(0);
    }
}
