using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.Environments;
using AutoDeploy.Web.Components.Pages.Environments;
using AutoDeploy.Web.Identity;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.HealthChecks;

/// <summary>"Check health" on a row of the environments screen.</summary>
public sealed class EnvironmentCheckHealthTests : EnvironmentComponentContext
{
    [Fact]
    public async Task Check_health_of_an_environment_starts_a_run_for_its_machines_and_opens_its_task_page()
    {
        await Database.AddEnvironmentAsync("Development");
        var production = await Database.AddEnvironmentAsync("Production");
        await Database.AddMachinesAsync(production.Id, MachineHealthStatus.Healthy, count: 2);
        var page = Render<EnvironmentsPage>();
        page.WaitForElement("button[aria-label='Check health of Production']");

        await Button(page, "Check health of Production").ClickAsync(new());

        await using var db = Database.CreateDbContext();
        var run = await db.HealthCheckRuns.SingleAsync();
        Assert.Equal(production.Id, run.EnvironmentId);
        Assert.Equal(2, await db.MachineJobs.CountAsync(j => j.HealthCheckRunId == run.Id));
        Assert.EndsWith($"/health-checks/{run.Id}", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task A_viewer_has_no_Check_health_button()
    {
        await Database.AddEnvironmentAsync("Production");
        SignInAs(Roles.Viewer);

        var page = Render<EnvironmentsPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")));
        Assert.Empty(page.FindAll("button[aria-label='Check health of Production']"));
    }
}
