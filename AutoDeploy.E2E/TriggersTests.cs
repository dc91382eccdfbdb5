using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class TriggersTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_trigger_added_from_the_project_page_is_listed_with_its_group_and_role()
    {
        var projectId = await CreateProjectAsync();
        var name = Unique("Web servers");
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync($"/projects/{projectId}");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Triggers" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add trigger" }).ClickAsync();
        await page.WaitForURLAsync($"**/projects/{projectId}/triggers/new");
        await page.WaitForInteractiveAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await Group(page, "MachineAvailableForDeployment").CheckAsync();
        await page.GetByLabel("Add a role").FillAsync("web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add role" }).ClickAsync();
        await Expect(page.Locator(".trigger-roles")).ToContainTextAsync("web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"Saved trigger '{name}'.")).ToBeVisibleAsync();
        await page.GotoInteractiveAsync($"/projects/{projectId}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Triggers" }).ClickAsync();

        var row = page.Locator(".triggers-table tbody tr").Filter(new() { HasText = name });
        await Expect(row).ToContainTextAsync("MachineAvailableForDeployment");
        await Expect(row).ToContainTextAsync("roles web");
    }

    [Fact]
    public async Task A_trigger_with_no_events_shows_the_message_beside_the_events()
    {
        var projectId = await CreateProjectAsync();
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync($"/projects/{projectId}/triggers/new");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(Unique("No events"));
        await Group(page, "MachineAvailableForDeployment").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Expect(page.Locator(".trigger-events-section .trigger-events-error"))
            .ToHaveTextAsync("Choose at least one event group or category.");
    }

    private static ILocator Group(IPage page, string group) =>
        page.Locator($".trigger-event-group[data-group='{group}']").GetByRole(AriaRole.Checkbox);

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    /// <summary>Arranges a project through the API, as CI would.</summary>
    private async Task<int> CreateProjectAsync()
    {
        using var client = fixture.CreateApiClient();
        var steps = new[] { new { name = "Deploy", roles = new[] { "web" }, script = "echo hi" } };
        var response = await client.PostAsJsonAsync("/api/projects", new { name = Unique("Shop"), steps });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}
