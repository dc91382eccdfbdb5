using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Web.Components.Pages.Machines;
using AutoDeploy.Web.Identity;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoDeploy.Tests.HealthChecks;

/// <summary>The machine page's "Check health" button, its Releases section and its policy link.</summary>
public sealed class MachinePageHealthAndReleasesTests : MachineComponentContext
{
    [Fact]
    public async Task Releases_lists_each_project_with_links_to_its_release_and_deployment()
    {
        var machine = await AddMachineAsync("web-01");
        var deployment = await Database.AddSucceededDeploymentAsync(machine, Production, "Shop", "1.4.2");

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".machine-releases tbody tr")));
        var row = page.Find(".machine-releases tbody tr");
        Assert.Equal("Shop", row.GetAttribute("data-project"));
        Assert.Equal(
            [$"/projects/{deployment.ProjectId}", $"/releases/{deployment.ReleaseId}", $"/deployments/{deployment.Id}"],
            row.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.Equal(["Shop", "1.4.2", "Production", "24 Nov 2026, 12:30:00 UTC", $"Deployment {deployment.Id}"],
            row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public async Task Releases_of_a_machine_never_deployed_to_says_so()
    {
        var machine = await AddMachineAsync("web-01");

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal("No release has been deployed to this machine yet.",
            page.Find("[data-testid='no-releases']").TextContent.Trim()));
    }

    [Fact]
    public async Task The_machine_policy_links_to_its_editor()
    {
        var machine = await AddMachineAsync("web-01");

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal(Policy.Name, page.Find($"a[href='/machine-policies/{Policy.Id}']").TextContent.Trim()));
    }

    [Fact]
    public async Task Check_health_starts_a_run_for_the_machine_and_opens_its_task_page()
    {
        var machine = await AddMachineAsync("web-01");
        var page = RenderPage(machine.Id);
        page.WaitForAssertion(() => Button(page, "Check health"));

        await Button(page, "Check health").ClickAsync(new());

        await using var db = Database.CreateDbContext();
        var run = await db.HealthCheckRuns.SingleAsync();
        Assert.Equal((machine.Id, DeploymentState.Executing), (run.MachineId, run.State));
        Assert.EndsWith($"/health-checks/{run.Id}", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task A_viewer_has_no_Check_health_button()
    {
        var machine = await AddMachineAsync("web-01");
        SignInAs(Roles.Viewer);

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal("web-01", page.Find("h1").TextContent.Trim()));
        Assert.Empty(Buttons(page, "Check health"));
    }

    private IRenderedComponent<MachinePage> RenderPage(int id)
    {
        Render<MudPopoverProvider>();
        return Render<MachinePage>(p => p.Add(c => c.Id, id));
    }
}
