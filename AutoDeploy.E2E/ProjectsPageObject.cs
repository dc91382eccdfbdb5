using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>
/// The Projects screens as a user sees them: the list with its add dialog, and one project's page with its tabs
/// (Process with the step dialog, Variables, Releases with the create dialog; Triggers has <see cref="TriggersPageObject"/>).
/// </summary>
public sealed class ProjectsPageObject(IPage page)
{
    public Task GotoListAsync() => page.GotoInteractiveAsync("/projects");

    public Task GotoAsync(int id) => page.GotoInteractiveAsync($"/projects/{id}");

    /// <summary>Reloads the page, as a user would to see what was saved.</summary>
    public async Task ReloadAsync()
    {
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
    }

    public ILocator Heading(string name) => page.GetByRole(AriaRole.Heading, new() { Name = name });

    public ILocator Dialog => page.Locator(".mud-dialog");

    public async Task AddProjectAsync(string name)
    {
        await Button("Add project").OpenDialogAsync();
        await Dialog.GetByLabel("Name").FillAsync(name);
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Add project" }).ClickAsync();
    }

    public Task OpenTabAsync(string name) => page.GetByRole(AriaRole.Tab, new() { Name = name }).ClickAsync();

    /// <summary>Saves the project's pending changes (its steps, variables and settings).</summary>
    public Task SaveAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

    /// <summary>The message a successful save shows.</summary>
    public ILocator Saved(string name) => page.GetByText($"Saved project '{name}'.");

    // Process tab

    public ILocator StepRows => page.Locator(".steps-table .step-row");

    public ILocator StepNameField => Dialog.GetByLabel("Name", new() { Exact = true });

    /// <summary>The step dialog's Roles field with its message.</summary>
    public ILocator StepRolesField => Dialog.Locator(".mud-input-control").Filter(new() { Has = page.GetByLabel("Roles") });

    public Task OpenAddStepDialogAsync() => Button("Add step").OpenDialogAsync();

    public Task FillStepScriptAsync(string script) => Dialog.Locator(".script-field textarea").FillAsync(script);

    public Task SaveStepAsync() => Dialog.GetByRole(AriaRole.Button, new() { Name = "Save step" }).ClickAsync();

    /// <summary>Adds a step through the step dialog and waits until the dialog has closed.</summary>
    public async Task AddStepAsync(string name, string role, string script)
    {
        await OpenAddStepDialogAsync();
        await StepNameField.FillAsync(name);
        await Dialog.GetByLabel("Roles").FillAsync(role);
        await Dialog.GetByLabel("Roles").PressAsync("Enter");
        await Expect(Dialog.Locator(".step-roles")).ToContainTextAsync(role);
        await FillStepScriptAsync(script);
        await SaveStepAsync();
        await Expect(Dialog).ToHaveCountAsync(0);
    }

    /// <summary>Opens the step dialog of the step of that name.</summary>
    public Task OpenEditStepDialogAsync(string step) => Button($"Edit {step}").OpenDialogAsync();

    /// <summary>In the open step dialog: makes the step roll over that many machines at a time.</summary>
    public async Task SetRollingWindowAsync(int machines)
    {
        await Dialog.GetByRole(AriaRole.Switch).SetCheckedAsync(true);
        var window = Dialog.GetByLabel("Window", new() { Exact = true });
        await window.FillAsync(machines.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(window).ToHaveValueAsync(machines.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The step's "Machines at a time" cell in the process table: "all", or its window.</summary>
    public ILocator StepWindow(int row) => StepRows.Nth(row).GetByTestId("step-window");

    // Variables tab

    /// <summary>Adds a variable row and fills it in (the project still needs saving).</summary>
    public async Task AddVariableAsync(string name, string value, bool sensitive)
    {
        await Button("Add variable").ClickAsync();
        var row = page.Locator(".variable-row").Last;
        await row.Locator("td").Nth(0).Locator("input").FillAsync(name);
        await row.GetByRole(AriaRole.Switch).SetCheckedAsync(sensitive);
        await row.Locator("td").Nth(1).Locator("input").FillAsync(value);
    }

    /// <summary>The value input of the variable in that row (from 0).</summary>
    public ILocator VariableValue(int row) => page.Locator(".variable-row").Nth(row).Locator("td").Nth(1).Locator("input");

    // Releases tab

    public ILocator ReleasesTable => page.Locator(".releases-table");

    public ILocator ReleaseLink(string version) => ReleasesTable.GetByRole(AriaRole.Link, new() { Name = version });

    public ILocator ReleaseVersionField => Dialog.GetByLabel("Version");

    public Task OpenCreateReleaseDialogAsync() => Button("Create release").OpenDialogAsync();

    /// <summary>Fills in the open create-release dialog and creates the release.</summary>
    public async Task CreateReleaseAsync(string version, string notes)
    {
        await ReleaseVersionField.FillAsync(version);
        await Dialog.GetByLabel("Notes").FillAsync(notes);
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Create release" }).ClickAsync();
    }

    private ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name });
}
