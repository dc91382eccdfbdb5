using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Deployments;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Deployments;

/// <summary>The deployment page's retry button and the links between a retry and the deployment it retried, on a migrated SQLite file.</summary>
public sealed class DeploymentPageRetryTests : MudBunitContext
{
    private SqliteDatabase _database = null!;
    private DeploymentScenario _scenario = null!;
    private Bunit.TestDoubles.BunitAuthorizationContext _authorization = null!;

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton(_database.Time);
        Services.AddSingleton<TaskSignals>();
        // The page's buttons follow the policies set below; the service's own checks are tested with the permission matrix.
        Services.AddSingleton(CurrentAccess.For(Access.System));
        Services.AddSingleton<DeploymentService>();
        _authorization = AddAuthorization();
        _authorization.SetAuthorized("deployer@autodeploy.test").SetPolicies(Policies.View, Policies.Deploy);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_deployer_retries_the_failed_machines_and_the_page_opens_the_retry()
    {
        var first = await FinishedAsync(DeploymentState.Failed, TargetState.Success, TargetState.Failed, TargetState.TimedOut);
        var page = Render<DeploymentPage>(p => p.Add(x => x.Id, first));
        var button = page.WaitForElement("[data-testid='retry-failed']");
        Assert.Equal("Retry failed machines (2)", button.TextContent.Trim());

        await button.ClickAsync(new());

        var retry = await RetryOfAsync(first);
        page.WaitForAssertion(() => Assert.EndsWith($"/deployments/{retry.Id}", Services.GetRequiredService<NavigationManager>().Uri));
        Assert.Equal([2, 3], retry.ChosenMachineIds.Select(MachineNumber));
    }

    [Fact]
    public async Task A_viewer_is_not_offered_the_retry()
    {
        _authorization.SetPolicies(Policies.View);
        var first = await FinishedAsync(DeploymentState.Failed, TargetState.Failed);

        var page = Render<DeploymentPage>(p => p.Add(x => x.Id, first));

        page.WaitForElement("[data-machine-state]");
        Assert.Empty(page.FindAll("[data-testid='retry-failed']"));
    }

    [Fact]
    public async Task A_deployment_without_failed_machines_is_not_offered_the_retry()
    {
        var first = await FinishedAsync(DeploymentState.Canceled, TargetState.Success, TargetState.Canceled);

        var page = Render<DeploymentPage>(p => p.Add(x => x.Id, first));

        page.WaitForElement("[data-machine-state]");
        Assert.Empty(page.FindAll("[data-testid='retry-failed']"));
    }

    [Fact]
    public async Task Following_a_link_between_a_retry_and_the_first_shows_the_other_deployment_with_its_link_back()
    {
        var first = await FinishedAsync(DeploymentState.Failed, TargetState.Failed);
        var retry = (await Services.GetRequiredService<DeploymentService>().RetryAsync(first)).Value!.Id;
        var page = Render<DeploymentPage>(p => p.Add(x => x.Id, first));
        page.WaitForAssertion(() => Assert.Equal($"/deployments/{retry}", page.Find("[data-testid='retried-by'] a").GetAttribute("href")));

        page.Render(p => p.Add(x => x.Id, retry));

        page.WaitForAssertion(() => Assert.Equal($"/deployments/{first}", page.Find("[data-testid='retry-of'] a").GetAttribute("href")));
        Assert.Equal($"Retry of deployment #{first}", page.Find("[data-testid='retry-of']").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid='retried-by']"));
        Assert.Empty(page.FindAll("[data-machine-state]"));
    }

    /// <summary>A deployment of the scenario's release, ended in <paramref name="state"/>, with machine web-N ended in the N-th state given.</summary>
    private async Task<int> FinishedAsync(DeploymentState state, params TargetState[] machines)
    {
        var ids = new List<int>();
        for (var i = 0; i < machines.Length; i++)
        {
            ids.Add((await _scenario.AddMachineAsync($"web-{i + 1}", "web")).Id);
        }
        await using var db = _database.CreateDbContext();
        db.AttachRange(_scenario.Project, _scenario.Release, _scenario.Environment);
        var now = _database.Time.GetUtcNow();
        var deployment = Deployment.Queue(_scenario.Project, _scenario.Release, _scenario.Environment, [], "alice", null, now);
        deployment.Start(now);
        deployment.Finish(state, state == DeploymentState.Success ? null : "some machines did not succeed", now);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        db.DeploymentTargets.AddRange(machines.Select((target, i) => new DeploymentTarget
        {
            DeploymentId = deployment.Id, MachineId = ids[i], MachineName = $"web-{i + 1}", State = target, CompletedAt = now,
        }));
        await db.SaveChangesAsync();
        return deployment.Id;
    }

    private async Task<Deployment> RetryOfAsync(int id)
    {
        Deployment? retry = null;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = _database.CreateDbContext();
            retry = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.RetryOfDeploymentId == id);
            return retry is not null;
        }, because: () => $"no retry of deployment {id} was queued");
        return retry!;
    }

    /// <summary>N of the machine web-N, from its id.</summary>
    private int MachineNumber(int machineId)
    {
        using var db = _database.CreateDbContext();
        return int.Parse(db.Machines.Single(m => m.Id == machineId).Name["web-".Length..]);
    }
}
