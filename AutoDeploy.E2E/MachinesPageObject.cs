using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>The Machines screens as a user sees them: the searchable list and one machine's page with its dialog and tables.</summary>
public sealed class MachinesPageObject(IPage page)
{
    public Task GotoListAsync() => page.GotoInteractiveAsync("/machines");

    public Task GotoAsync(int id) => page.GotoInteractiveAsync($"/machines/{id}");

    public Task SearchAsync(string text) => page.GetByLabel("Search").FillAsync(text);

    /// <summary>The rows the list shows.</summary>
    public ILocator Rows => page.Locator(".machines-table tbody tr");

    public Task OpenAsync(string name) => page.Locator(".machines-table tbody a", new() { HasText = name }).ClickAsync();

    public ILocator Heading(string name) => page.GetByRole(AriaRole.Heading, new() { Name = name });

    /// <summary>The Enabled or Disabled chip.</summary>
    public ILocator EnabledState => page.GetByTestId("machine-enabled");

    /// <summary>The rows of Recent events, newest first.</summary>
    public ILocator Events => page.Locator(".machine-events tbody tr");

    public ILocator Releases => page.Locator(".machine-releases");

    /// <summary>The Readiness section's state chip (Ready, Waiting, Failed or Blocked in <c>data-state</c>) and its summary.</summary>
    public ILocator ReadinessState => page.GetByTestId("readiness-state");

    public ILocator ReadinessSummary => page.GetByTestId("readiness-summary");

    /// <summary>The link to the machine's policy.</summary>
    public ILocator PolicyLink(int policyId) => page.Locator($"a[href='/machine-policies/{policyId}']");

    public Task DisableAsync() => Button("Disable").ClickAsync();

    public Task EnableAsync() => Button("Enable").ClickAsync();

    public Task CheckHealthAsync() => Button("Check health").ClickAsync();

    /// <summary>Edits the machine to use the policy of that name and saves.</summary>
    public async Task SetPolicyAsync(string policy)
    {
        await Button("Edit").OpenDialogAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.Select("Machine policy").PickAsync(policy);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
    }

    private ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name });
}
