using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class ProjectsTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_project_created_in_the_browser_gets_a_step_with_a_role_and_a_script()
    {
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        var name = Unique("Shop");
        await page.GotoInteractiveAsync("/projects");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add project" }).ClickAsync();
        var addDialog = page.Locator(".mud-dialog");
        await addDialog.GetByLabel("Name").FillAsync(name);
        await addDialog.GetByRole(AriaRole.Button, new() { Name = "Add project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await AddStepAsync(page, "Deploy", role: "web", script: "echo deploying");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"Saved project '{name}'.")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();

        var row = page.Locator(".steps-table .step-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Deploy");
        await Expect(row).ToContainTextAsync("web");
    }

    [Fact]
    public async Task A_step_without_a_role_shows_the_message_beside_its_roles_field()
    {
        var id = await CreateProjectAsync(withStep: false);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync($"/projects/{id}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add step" }).ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync("Migrate");
        await Expect(dialog.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Migrate");
        await dialog.Locator(".script-field textarea").FillAsync("echo migrating");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save step" }).ClickAsync();

        var rolesField = dialog.Locator(".mud-input-control").Filter(new() { Has = page.GetByLabel("Roles") });
        await Expect(rolesField).ToContainTextAsync("Step 1 'Migrate': choose at least one role.");
    }

    [Fact]
    public async Task A_sensitive_variable_is_masked_after_reload()
    {
        var id = await CreateProjectAsync(withStep: true);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync($"/projects/{id}");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Variables" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add variable" }).ClickAsync();
        var row = page.Locator(".variable-row").First;
        await row.Locator("td").Nth(0).Locator("input").FillAsync("DB_PASSWORD");
        await row.GetByRole(AriaRole.Switch).CheckAsync();
        await row.Locator("td").Nth(1).Locator("input").FillAsync("s3cret-e2e");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Saved project")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Variables" }).ClickAsync();

        var value = page.Locator(".variable-row").First.Locator("td").Nth(1).Locator("input");
        await Expect(value).ToHaveAttributeAsync("type", "password");
        await Expect(value).ToHaveValueAsync("********");
        Assert.DoesNotContain("s3cret-e2e", await page.ContentAsync());
    }

    [Fact]
    public async Task Release_1_0_0_created_in_the_browser_is_listed()
    {
        var id = await CreateProjectAsync(withStep: true);
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync($"/projects/{id}");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Releases" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create release" }).ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog.GetByLabel("Version")).ToHaveValueAsync("0.0.1");
        await dialog.GetByLabel("Version").FillAsync("1.0.0");
        await dialog.GetByLabel("Notes").FillAsync("First release");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create release" }).ClickAsync();

        await Expect(page.Locator(".releases-table").GetByRole(AriaRole.Link, new() { Name = "1.0.0" })).ToBeVisibleAsync();
        await Expect(page.Locator(".releases-table")).ToContainTextAsync("First release");
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..16];

    private static async Task AddStepAsync(IPage page, string name, string role, string script)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add step" }).ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.GetByLabel("Name").FillAsync(name);
        await dialog.GetByLabel("Roles").FillAsync(role);
        await dialog.GetByLabel("Roles").PressAsync("Enter");
        await Expect(dialog.Locator(".step-roles")).ToContainTextAsync(role);
        await dialog.Locator(".script-field textarea").FillAsync(script);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save step" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
    }

    /// <summary>Arranges a project through the API, as CI would.</summary>
    private async Task<int> CreateProjectAsync(bool withStep)
    {
        using var client = fixture.CreateApiClient();
        var steps = withStep ? new[] { new { name = "Deploy", roles = new[] { "web" }, script = "echo hi" } } : [];
        var response = await client.PostAsJsonAsync("/api/projects", new { name = Unique("Shop"), steps });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}
