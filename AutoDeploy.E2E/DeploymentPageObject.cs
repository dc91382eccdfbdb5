using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>A deployment's page as a user sees it (reached from its address or the Deployments list): state, per-machine states, progress, log.</summary>
public sealed class DeploymentPageObject(IPage page)
{
    public Task GotoAsync(int id) => page.GotoInteractiveAsync($"/deployments/{id}");

    /// <summary>
    /// On a release's page: Deploy, the environment chosen (and its list closed), Deploy in the dialog; returns once the
    /// dialog has closed (an error it shows fails here, with the dialog in the message) and the deployment's page is reached.
    /// </summary>
    public async Task DeployFromReleasePageAsync(string environment)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }).OpenDialogAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await page.GetByTestId("deploy-environment").PickAsync(environment);
        await Expect(dialog.GetByRole(AriaRole.Combobox, new() { Name = "Environment" })).ToHaveTextAsync(environment);
        await Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        // Only until the address is the deployment's (as SignInPage does): the auto-waiting assertions after it wait for
        // the page. WaitForURLAsync, called once the address matches, waits for the page's load state, which beside
        // stress-ng ran out after 30 s.
        await Expect(page).ToHaveURLAsync(new Regex(@"/deployments/\d+$"), new() { Timeout = 30_000 });
    }

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

    /// <summary>"Retry failed machines (N)", on a finished deployment with failed machines, for those who may deploy.</summary>
    public ILocator RetryFailed => page.GetByTestId("retry-failed");

    /// <summary>"Retry of deployment #N" on a retry, linking to the deployment it retried.</summary>
    public ILocator RetryOf => page.GetByTestId("retry-of");

    /// <summary>"Retried by deployment #N, ..." on a deployment that was retried, linking to each retry.</summary>
    public ILocator RetriedBy => page.GetByTestId("retried-by");

    /// <summary>A rolling step's window: "2 running · 0 done · 1 waiting (window 2)".</summary>
    public ILocator RollingCounts(string step) => page.Locator($"[data-testid='rolling-step'][data-step='{step}'] [data-testid='rolling-counts']");

    public Task CancelAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
}
