using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>The fleet drift screen: the counts per state as chips, and a row per machine and project.</summary>
public sealed class FleetPageObject(IPage page)
{
    /// <summary>Opens the screen filtered to an environment and a project, as a link to it would.</summary>
    public Task GotoAsync(int environmentId, int projectId) => page.GotoInteractiveAsync($"/fleet?environmentId={environmentId}&projectId={projectId}");

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Fleet", Level = 1 });

    /// <summary>The chip of a state (Current, Behind, NotCovered ...): clicking it filters the rows to that state.</summary>
    public ILocator Chip(string state) => page.GetByTestId($"fleet-count-{state}");

    /// <summary>The number on a state's chip.</summary>
    public ILocator Count(string state) => Chip(state).GetByTestId("count");

    public ILocator Rows => page.GetByTestId("fleet-row");

    public ILocator Row(string machine) => page.Locator($"[data-testid='fleet-row'][data-machine='{machine}']");
}
