using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Fleet;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Signals;
using Bunit;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Fleet;

/// <summary>The fleet screen on a migrated SQLite file: Shop 1.0.0 succeeded on web-01 in Production; web-02 has nothing; db-01 has no step.</summary>
public sealed class FleetPageTests : MudBunitContext
{
    private SqliteDatabase _database = null!;
    private DeploymentEnvironment _production = null!;
    private MachinePolicy _policy = null!;

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton(_database.Time);
        Services.AddSingleton<IValidator<MachineInput>, MachineInputValidator>();
        Services.AddSingleton<TaskSignals>();
        Services.AddMachines();
        Services.AddFleet();
        _production = await _database.AddEnvironmentAsync("Production");
        _policy = await _database.AddPolicyAsync();
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Shows_the_counts_and_a_row_per_machine_and_project_with_links()
    {
        var (web01, _) = await SeedAsync();

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='fleet-row']").Count));
        Assert.Equal("Fleet", page.Find("h1").TextContent.Trim());
        Assert.Equal(["1", "0", "0", "1", "0", "1"], page.FindAll("[data-testid='fleet-counts'] [data-testid='count']").Select(c => c.TextContent.Trim()));
        var current = page.Find("[data-testid='fleet-row'][data-machine='web-01']");
        Assert.Equal("Current", current.GetAttribute("data-state"));
        Assert.NotNull(current.QuerySelector($"a[href='/machines/{web01}']"));
        Assert.Contains("latest successful · trigger 'Web servers'", current.QuerySelector("[data-testid='why']")!.TextContent);
        Assert.StartsWith("/deployments/", current.QuerySelector("[data-testid='deployment-link']")!.GetAttribute("href"));
        Assert.Equal("1–3 of 3", page.Find("[data-testid='fleet-range']").TextContent.Trim());
    }

    [Fact]
    public async Task A_count_chip_filters_the_rows_to_its_state_and_a_second_click_shows_all_again()
    {
        await SeedAsync();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='fleet-row']").Count));

        page.Find("[data-testid='fleet-count-Behind']").Click();

        page.WaitForAssertion(() => Assert.Equal(["web-02"], page.FindAll("[data-testid='fleet-row']").Select(r => r.GetAttribute("data-machine"))));
        Assert.Equal("true", page.Find("[data-testid='fleet-count-Behind']").GetAttribute("aria-pressed"));
        Assert.Equal("'web-02' has no release, not 1.0.0, and no deployment is queued for it.",
            page.Find("[data-testid='fleet-row'] [data-testid='reason']").TextContent.Trim());

        page.Find("[data-testid='fleet-count-Behind']").Click();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='fleet-row']").Count));
    }

    [Fact]
    public async Task Pages_forward_and_back_by_the_cursor()
    {
        await SeedAsync();
        for (var i = 1; i <= 48; i++)
        {
            await _database.AddMachineAsync($"more-{i:00}", [_production], _policy, ["web"], MachineHealthStatus.Healthy);
        }
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(50, page.FindAll("[data-testid='fleet-row']").Count));

        Button(page, "Next page").Click();

        page.WaitForAssertion(() => Assert.Equal("51–51 of 51", page.Find("[data-testid='fleet-range']").TextContent.Trim()));
        Assert.Equal(["more-48"], page.FindAll("[data-testid='fleet-row']").Select(r => r.GetAttribute("data-machine")));

        Button(page, "Previous page").Click();

        page.WaitForAssertion(() => Assert.Equal("1–50 of 51", page.Find("[data-testid='fleet-range']").TextContent.Trim()));
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<FleetPage> page, string label) =>
        page.Find($"button[aria-label='{label}']");

    private IRenderedComponent<FleetPage> RenderPage()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Render<MudBlazor.MudPopoverProvider>();
        return Render<FleetPage>();
    }

    /// <summary>Shop (a web step, trigger "Web servers") whose 1.0.0 succeeded on web-01; web-02 has nothing; db-01 has no step.</summary>
    private async Task<(int Web01, int Web02)> SeedAsync()
    {
        var web01 = await _database.AddMachineAsync("web-01", [_production], _policy, ["web"], MachineHealthStatus.Healthy);
        var web02 = await _database.AddMachineAsync("web-02", [_production], _policy, ["web"], MachineHealthStatus.Healthy);
        await _database.AddMachineAsync("db-01", [_production], _policy, ["db"], MachineHealthStatus.Healthy);
        await using var db = _database.CreateDbContext();
        db.Attach(_production);
        var project = Project.Create("Shop", null);
        project.Steps = [DeploymentScenario.Step("Install", "web")];
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var release = Release.Create(project, new SemanticVersion(1, 0, 0, null, null), null, DateTimeOffset.UnixEpoch);
        db.Releases.Add(release);
        db.Triggers.Add(ProjectTrigger.Create(project.Id, "Web servers"));
        await db.SaveChangesAsync();
        var deployment = Deployment.Queue(project, release, _production, [web01.Id], "test", null, DateTimeOffset.UnixEpoch);
        deployment.Start(DateTimeOffset.UnixEpoch);
        deployment.Finish(DeploymentState.Success, null, DateTimeOffset.UnixEpoch);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        db.DeploymentTargets.Add(new DeploymentTarget { DeploymentId = deployment.Id, MachineId = web01.Id, MachineName = "web-01", State = TargetState.Success });
        await db.SaveChangesAsync();
        return (web01.Id, web02.Id);
    }
}
