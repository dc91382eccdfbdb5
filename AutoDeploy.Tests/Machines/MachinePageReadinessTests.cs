using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Machines;
using Bunit;
using static AutoDeploy.Tests.Feed.ActivityTestData;

namespace AutoDeploy.Tests.Machines;

/// <summary>The machine page's Readiness section: the state, the summary and each item, read again when the feed says so.</summary>
public sealed class MachinePageReadinessTests : MachineComponentContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_machine_without_the_release_its_trigger_wants_shows_Waiting_with_the_item()
    {
        var machine = await AddMachineAsync("web-01", ["web"], MachineHealthStatus.Healthy);
        await AddProjectWithTriggerAndReleaseAsync();

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal("Waiting", page.Find("[data-testid='readiness-state']").GetAttribute("data-state")), Wait);
        Assert.Equal("'web-01' is not ready: Shop 1.0.0 in Production is not deployed yet (trigger 'Web servers').",
            page.Find("[data-testid='readiness-summary']").TextContent.Trim());
        var row = page.Find(".readiness-items tbody tr");
        Assert.Equal(["Shop", "Production", "1.0.0", "Waiting"], row.QuerySelectorAll("td").Take(4).Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public async Task An_event_about_the_machine_reads_its_readiness_again()
    {
        var machine = await AddMachineAsync("web-01", ["web"], MachineHealthStatus.Healthy);
        var (project, release) = await AddProjectWithTriggerAndReleaseAsync();
        var page = RenderPage(machine.Id);
        page.WaitForAssertion(() => Assert.Equal("Waiting", page.Find("[data-testid='readiness-state']").GetAttribute("data-state")), Wait);

        await DeployAsync(project, release, machine.Id);
        await Feed.PublishAsync(Event(1000, EventCategories.DeploymentSucceeded, machineId: machine.Id));

        page.WaitForAssertion(() => Assert.Equal("Ready", page.Find("[data-testid='readiness-state']").GetAttribute("data-state")), Wait);
        Assert.Equal("'web-01' is ready: Shop 1.0.0 in Production is installed.", page.Find("[data-testid='readiness-summary']").TextContent.Trim());
    }

    [Fact]
    public async Task A_machine_no_trigger_matches_is_Ready_without_items()
    {
        var machine = await AddMachineAsync("web-01", ["web"], MachineHealthStatus.Healthy);

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal("'web-01' is ready: no enabled trigger matches it.",
            page.Find("[data-testid='readiness-summary']").TextContent.Trim()), Wait);
        Assert.Empty(page.FindAll(".readiness-items"));
    }

    /// <summary>Shop with a web step and a trigger, and 1.0.0 deployed successfully to Production (to another machine).</summary>
    private async Task<(Project, Release)> AddProjectWithTriggerAndReleaseAsync()
    {
        await using var db = Database.CreateDbContext();
        var project = Project.Create("Shop", null);
        project.Steps = [DeploymentScenario.Step("Install", "web")];
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        db.Triggers.Add(ProjectTrigger.Create(project.Id, "Web servers"));
        var release = Release.Create(project, new SemanticVersion(1, 0, 0, null, null), null, DateTimeOffset.UtcNow);
        db.Releases.Add(release);
        await db.SaveChangesAsync();
        await DeployAsync(project, release, machineId: null);
        return (project, release);
    }

    /// <summary>A successful deployment of the release to Production, on the machine if one is given.</summary>
    private async Task DeployAsync(Project project, Release release, int? machineId)
    {
        await using var db = Database.CreateDbContext();
        db.AttachRange(project, release, Production);
        var deployment = Deployment.Queue(project, release, Production, [], "test", null, DateTimeOffset.UtcNow);
        deployment.Start(DateTimeOffset.UtcNow);
        deployment.Finish(DeploymentState.Success, null, DateTimeOffset.UtcNow);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        if (machineId is { } id)
        {
            db.DeploymentTargets.Add(new DeploymentTarget { DeploymentId = deployment.Id, MachineId = id, MachineName = "web-01", State = TargetState.Success });
            await db.SaveChangesAsync();
        }
    }

    private IRenderedComponent<MachinePage> RenderPage(int id)
    {
        Render<MudBlazor.MudPopoverProvider>();
        return Render<MachinePage>(p => p.Add(c => c.Id, id));
    }
}
