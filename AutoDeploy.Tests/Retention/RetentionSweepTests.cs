using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Retention;

/// <summary>
/// The retention sweep against the app's own database (both providers): old history goes in batches, what the engine or a
/// machine still needs stays, and the engine carries on. The sweep runs on a clock ten days ahead, so everything the
/// test wrote is old.
/// </summary>
[Trait("Database", "App")]
public sealed class RetentionSweepTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly FakeTimeProvider _later = new(DateTimeOffset.UtcNow.AddDays(10));
    private IDbContextFactory<AutoDeployDbContext> _factory = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _app.CreateClient().Dispose();
        _factory = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        _scenario = await new DeploymentScenario(_factory).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync(steps: DeploymentScenario.Step("Install", "web"));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task By_default_nothing_is_removed()
    {
        var before = await CountsAsync();

        var result = await Sweep(new RetentionOptions()).SweepAsync(default);

        Assert.False(result.Removed);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Old_events_the_engine_has_read_go_in_batches_but_those_a_retry_needs_stay_and_the_engine_carries_on()
    {
        await _scenario.WithSuccessfulDeploymentAndTriggerAsync();
        for (var i = 0; i < 5; i++)
        {
            await _scenario.AddHealthyMachineAsync($"old-{i}");
        }
        // The engine has read everything, its own decisions included: its cursor is at the newest event.
        long newest = 0;
        await Eventually.TrueAsync(async () =>
            {
                newest = await WithDbAsync(db => db.Events.MaxAsync(e => e.Id));
                return await WithDbAsync(db => db.AutoDeployCursors.AnyAsync(c => c.LastEventId == newest));
            }, TimeSpan.FromSeconds(30), () => "the engine has not read the events yet");
        var neededId = await WithDbAsync(db => db.Events.Where(e => e.MachineId != null).MinAsync(e => e.Id));
        await WithDbAsync(async db =>
        {
            db.AutoDeployRetries.Add(new AutoDeployRetry
            {
                MachineId = 1, TriggerId = 1, EnvironmentId = _scenario.Environment.Id, ReleaseId = _scenario.Release.Id, Attempt = 2,
                DueAt = _later.GetUtcNow().AddYears(1), EventIds = [neededId],
            });
            return await db.SaveChangesAsync();
        });
        var readEvents = await WithDbAsync(db => db.Events.CountAsync(e => e.Id <= newest));

        var result = await Sweep(new RetentionOptions { Events = TimeSpan.FromDays(1), BatchSize = 7 }).SweepAsync(default);

        // At least those; the app's health checks may have added some since, which the engine read too.
        Assert.InRange(result.Events, readEvents - 1, int.MaxValue);
        Assert.Equal([neededId], await WithDbAsync(db => db.Events.Where(e => e.Id <= newest).Select(e => e.Id).ToListAsync()));
        var swept = await WithDbAsync(db => db.Events.SingleAsync(e => e.Category == EventCategories.RetentionSwept));
        Assert.Contains($"and {result.Events} event(s)", swept.Message);
        // Outside a sweep the database still refuses to erase an event.
        await Assert.ThrowsAnyAsync<Exception>(() => WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"Events\"")));

        // The engine carries on from its cursor: it decides about a machine that arrives after the sweep.
        var fresh = await _scenario.AddHealthyMachineAsync("fresh");
        await Eventually.TrueAsync(() => WithDbAsync(db => db.Events.AnyAsync(e => e.MachineId == fresh && EventCategories.AutoDeployDecisions.Contains(e.Category))),
            TimeSpan.FromSeconds(30), () => "the engine decided nothing about the machine that arrived after the sweep");
    }

    [Fact]
    public async Task Task_logs_and_health_check_runs_that_ended_go_and_those_of_an_unfinished_deployment_stay()
    {
        // On the real clock, ended five days ago: the app's own workers may end the unfinished deployment meanwhile
        // (it has no lease), but then it ends now, well after the cutoff a day ago.
        var longAgo = DateTimeOffset.UtcNow.AddDays(-5);
        var ended = await DeploymentAsync(_scenario.Release, DeploymentState.Success, at: longAgo);
        var unfinished = await DeploymentAsync(_scenario.Release, DeploymentState.Executing, at: longAgo);
        var run = await WithDbAsync(async db =>
        {
            var check = new HealthCheckRun { Title = "Check", RequestedBy = "test", QueuedAt = longAgo, State = DeploymentState.Success, CompletedAt = longAgo };
            db.HealthCheckRuns.Add(check);
            await db.SaveChangesAsync();
            db.TaskLogLines.Add(new TaskLogLine { HealthCheckRunId = check.Id, At = longAgo, Text = "healthy" });
            db.TaskLogLines.AddRange(new[] { ended, ended, unfinished }.Select(id => new TaskLogLine { DeploymentId = id, At = longAgo, Text = "line" }));
            await db.SaveChangesAsync();
            return check.Id;
        });
        var options = new RetentionOptions { TaskLogs = TimeSpan.FromDays(1), HealthCheckRuns = TimeSpan.FromDays(1), BatchSize = 1 };

        var result = await new RetentionSweep(_factory, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System).SweepAsync(default);

        Assert.Equal(3, result.TaskLogLines);
        Assert.Equal(1, result.HealthCheckRuns);
        Assert.Contains(unfinished, await WithDbAsync(db => db.TaskLogLines.Select(l => l.DeploymentId).ToListAsync()));
        Assert.DoesNotContain(ended, await WithDbAsync(db => db.TaskLogLines.Select(l => l.DeploymentId).ToListAsync()));
        Assert.False(await WithDbAsync(db => db.HealthCheckRuns.AnyAsync(r => r.Id == run)));
        Assert.True(await WithDbAsync(db => db.Deployments.AnyAsync(d => d.Id == ended)));
    }

    [Fact]
    public async Task Old_releases_go_with_their_deployments_unless_an_environment_a_machine_an_override_or_the_project_still_needs_them()
    {
        var onMachine = _scenario.Release;
        var superseded = await ReleaseAsync("1.1.0");
        var neverDeployed = await ReleaseAsync("1.2.0");
        var latestSuccess = await ReleaseAsync("2.0.0");
        var pinned = await ReleaseAsync("2.1.0");
        var newest = await ReleaseAsync("3.0.0");
        var (machine, _) = await _factory.AddAsync("web-01", [_scenario.Environment.Id], ["web"]);
        await DeploymentAsync(onMachine, DeploymentState.Success, machine);
        var supersededDeployment = await DeploymentAsync(superseded, DeploymentState.Success);
        await DeploymentAsync(latestSuccess, DeploymentState.Success);
        await WithDbAsync(db =>
        {
            db.AutoDeployOverrides.Add(AutoDeployOverride.Set(_scenario.Project.Id, _scenario.Environment.Id, pinned.Id, pinned.Version, "pin",
                DateTimeOffset.UtcNow));
            return db.SaveChangesAsync();
        });

        var result = await Sweep(new RetentionOptions { Releases = TimeSpan.FromDays(1) }).SweepAsync(default);

        Assert.Equal([superseded.Id, neverDeployed.Id], result.Releases.Ids.Order());
        Assert.Equal(1, result.Releases.Deployments);
        Assert.Equal([onMachine.Id, latestSuccess.Id, pinned.Id, newest.Id],
            await WithDbAsync(db => db.Releases.OrderBy(r => r.Id).Select(r => r.Id).ToListAsync()));
        Assert.False(await WithDbAsync(db => db.Deployments.AnyAsync(d => d.Id == supersededDeployment)));
    }

    private RetentionSweep Sweep(RetentionOptions options) => new(_factory, Microsoft.Extensions.Options.Options.Create(options), _later);

    private async Task<T> WithDbAsync<T>(Func<AutoDeployDbContext, Task<T>> work)
    {
        await using var db = await _factory.CreateDbContextAsync();
        return await work(db);
    }

    private Task<(int, int, int, int, int)> CountsAsync() => WithDbAsync(async db => (await db.Events.CountAsync(), await db.Releases.CountAsync(),
        await db.Deployments.CountAsync(), await db.TaskLogLines.CountAsync(), await db.HealthCheckRuns.CountAsync()));

    private Task<Release> ReleaseAsync(string version) => WithDbAsync(async db =>
    {
        var project = await db.Projects.SingleAsync(p => p.Id == _scenario.Project.Id);
        SemanticVersion.TryParse(version, out var semver);
        var release = Release.Create(project, semver!, null, DateTimeOffset.UtcNow);
        db.Releases.Add(release);
        await db.SaveChangesAsync();
        return release;
    });

    /// <summary>A deployment of <paramref name="release"/> to the scenario's environment, left in <paramref name="state"/>, on the given machine if any.</summary>
    private Task<int> DeploymentAsync(Release release, DeploymentState state, int? machineId = null, DateTimeOffset? at = null) => WithDbAsync(async db =>
    {
        var when = at ?? DateTimeOffset.UtcNow;
        var project = await db.Projects.SingleAsync(p => p.Id == release.ProjectId);
        var environment = await db.Environments.SingleAsync(e => e.Id == _scenario.Environment.Id);
        var deployment = Deployment.Queue(project, release, environment, [], "test", null, when);
        deployment.Start(when);
        if (state.IsFinished())
        {
            deployment.Finish(state, null, when);
        }
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        if (machineId is { } id)
        {
            db.DeploymentTargets.Add(new DeploymentTarget { DeploymentId = deployment.Id, MachineId = id, MachineName = "web-01", State = TargetState.Success });
            await db.SaveChangesAsync();
        }
        return deployment.Id;
    });
}
