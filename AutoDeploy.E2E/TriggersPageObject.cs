using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>A project's triggers as a user sees them: the Triggers tab of the project's page and the trigger editor.</summary>
public sealed class TriggersPageObject(IPage page)
{
    /// <summary>Opens the project's page at its Triggers tab.</summary>
    public async Task GotoListAsync(int projectId)
    {
        var project = new ProjectsPageObject(page);
        await project.GotoAsync(projectId);
        await project.OpenTabAsync("Triggers");
    }

    /// <summary>Opens the editor of a new trigger straight from its address.</summary>
    public Task GotoNewAsync(int projectId) => page.GotoInteractiveAsync($"/projects/{projectId}/triggers/new");

    /// <summary>From the Triggers tab, follows "Add trigger" to the editor of a new trigger.</summary>
    public async Task OpenAddAsync(int projectId)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Add trigger" }).ClickAsync();
        await page.WaitForURLAsync($"**/projects/{projectId}/triggers/new");
        await page.WaitForInteractiveAsync();
    }

    /// <summary>The Triggers tab's row of the trigger of that name.</summary>
    public ILocator Row(string name) => page.Locator(".triggers-table tbody tr").Filter(new() { HasText = name });

    public ILocator NameField => page.GetByLabel("Name", new() { Exact = true });

    /// <summary>The checkbox of an event group, such as MachineAvailableForDeployment.</summary>
    public ILocator EventGroup(string group) =>
        page.Locator($".trigger-event-group[data-group='{group}']").GetByRole(AriaRole.Checkbox);

    /// <summary>The message beside the events when none is chosen.</summary>
    public ILocator EventsError => page.Locator(".trigger-events-section .trigger-events-error");

    /// <summary>The chips of the roles the trigger is limited to.</summary>
    public ILocator Roles => page.Locator(".trigger-roles");

    public async Task AddRoleAsync(string role)
    {
        await page.GetByLabel("Add a role").FillAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add role" }).ClickAsync();
    }

    public Task SaveAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

    /// <summary>The message a successful save shows.</summary>
    public ILocator Saved(string name) => page.GetByText($"Saved trigger '{name}'.");
}
