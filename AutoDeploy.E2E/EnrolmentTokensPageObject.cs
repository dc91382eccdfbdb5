using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>The Enrolment tokens screen: the list, the create dialog, the secret shown once and revoking.</summary>
public sealed class EnrolmentTokensPageObject(IPage page)
{
    public Task GotoAsync() => page.GotoInteractiveAsync("/machines/enrolment-tokens");

    /// <summary>The row of the token of that name.</summary>
    public ILocator Row(string name) =>
        page.GetByTestId("enrolment-tokens").Locator("tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = name, Exact = true }) });

    public ILocator Secret => page.GetByTestId("new-enrolment-token-secret");

    public ILocator Command => page.GetByTestId("new-enrolment-token-command");

    /// <summary>Creates a token for one environment with the dialog's defaults otherwise (the only policy, 30 days, any number of uses).</summary>
    public async Task CreateAsync(string name, string environment, string role)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).OpenDialogAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await dialog.Select("Environments").PickAsync(environment);
        await dialog.CloseListAsync();
        await dialog.GetByLabel("Add an allowed role").FillAsync(role);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add role" }).ClickAsync();
        // Each step waits for what the one before shows: beside a CPU hog a token was once created without its role
        // (the cause not found: the chip is the dialog saying it has the role).
        await Assertions.Expect(dialog.GetByTestId("token-roles").GetByText(role, new() { Exact = true })).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
    }

    public async Task RevokeAsync(string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
    }
}
