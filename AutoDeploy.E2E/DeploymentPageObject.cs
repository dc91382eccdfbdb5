using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>A deployment's page as a user sees it (reached from its address or the Deployments list): state, per-machine states, progress, log.</summary>
public sealed class DeploymentPageObject(IPage page)
{
    public Task GotoAsync(int id) => page.GotoInteractiveAsync($"/deployments/{id}");

    /// <summary>Opens the deployment from the Deployments list by its number.</summary>
    public async Task OpenFromListAsync(int id)
    {
        await page.GotoInteractiveAsync("/deployments");
        await page.GetByRole(AriaRole.Link, new() { Name = id.ToString(), Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/deployments/{id}");
    }

    /// <summary>The deployment's state, in its <c>data-state</c> attribute.</summary>
    public ILocator State => page.Locator("[data-state]").First;

    /// <summary>The state of the deployment on the machine of that name.</summary>
    public ILocator MachineState(string machine) => page.Locator($"[data-machine-state='{machine}']");

    public ILocator Progress => page.GetByTestId("progress");

    public ILocator Log => page.GetByTestId("task-log");

    public Task CancelAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
}
