using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using static AutoDeploy.Tests.Triggers.TriggerTestData;

namespace AutoDeploy.Tests.Engine;

public sealed class AutoDeployOverrideServiceTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private AutoDeployOverrideService _service = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _service = OverrideService(_database, _database.Time);
        _scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Deploy", "web"));
        await _scenario.AddMachineAsync("web-1", "web");
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private int ProjectId => _scenario.Project.Id;
    private int EnvironmentId => _scenario.Environment.Id;
    private string Description => $"{_scenario.Project.Name} to {_scenario.Environment.Name}";

    [Fact]
    public async Task SetAsync_pins_the_release_and_records_AutoDeployOverrideSet()
    {
        var saved = await _service.SetAsync(ProjectId, EnvironmentId, _scenario.Release.Id);

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        var pinned = Assert.Single((await _service.ListAsync(ProjectId))!);
        Assert.Equal((_scenario.Environment.Name, "1.0.0"), (pinned.EnvironmentName, pinned.ReleaseVersion));
        var recorded = Assert.Single(await EventsAsync());
        Assert.Equal((EventCategories.AutoDeployOverrideSet, $"Auto-deploy of {Description} pinned to release 1.0.0", ProjectId, EnvironmentId, _scenario.Release.Id),
            (recorded.Category, recorded.Message, recorded.ProjectId, recorded.EnvironmentId, recorded.ReleaseId));
    }

    [Fact]
    public async Task SetAsync_with_another_release_clears_the_old_override_first()
    {
        await _service.SetAsync(ProjectId, EnvironmentId, _scenario.Release.Id);
        var newer = await AddReleaseAsync("1.1.0");

        await _service.SetAsync(ProjectId, EnvironmentId, newer);

        Assert.Equal("1.1.0", Assert.Single((await _service.ListAsync(ProjectId))!).ReleaseVersion);
        Assert.Equal(
            [
                $"Auto-deploy of {Description} pinned to release 1.0.0",
                $"Auto-deploy override of {Description} (release 1.0.0) cleared: replaced by release 1.1.0",
                $"Auto-deploy of {Description} pinned to release 1.1.0",
            ],
            (await EventsAsync()).Select(e => e.Message));
    }

    [Fact]
    public async Task SetAsync_with_the_release_already_pinned_records_nothing_more()
    {
        await _service.SetAsync(ProjectId, EnvironmentId, _scenario.Release.Id);

        var saved = await _service.SetAsync(ProjectId, EnvironmentId, _scenario.Release.Id);

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        Assert.Single(await EventsAsync());
    }

    [Fact]
    public async Task SetAsync_with_a_release_of_another_project_is_invalid()
    {
        var other = await new DeploymentScenario(_database).WithReleaseAsync();

        var saved = await _service.SetAsync(ProjectId, EnvironmentId, other.Release.Id);

        Assert.Equal(SaveStatus.Invalid, saved.Result.Status);
        Assert.Equal([$"Release 1.0.0 is not a release of '{_scenario.Project.Name}'."], saved.Result.Errors!["ReleaseId"]);
    }

    [Fact]
    public async Task SetAsync_for_a_missing_environment_is_not_found()
    {
        var saved = await _service.SetAsync(ProjectId, 9876, _scenario.Release.Id);

        Assert.Equal((SaveStatus.NotFound, "Environment 9876 does not exist."), (saved.Result.Status, saved.Result.Message));
    }

    [Fact]
    public async Task ClearAsync_removes_the_override_and_records_AutoDeployOverrideCleared()
    {
        await _service.SetAsync(ProjectId, EnvironmentId, _scenario.Release.Id);

        var cleared = await _service.ClearAsync(ProjectId, EnvironmentId);

        Assert.True(cleared.Succeeded);
        Assert.Empty((await _service.ListAsync(ProjectId))!);
        Assert.Equal(EventCategories.AutoDeployOverrideCleared, (await EventsAsync())[^1].Category);
    }

    [Fact]
    public async Task ClearAsync_without_an_override_is_not_found()
    {
        var cleared = await _service.ClearAsync(ProjectId, EnvironmentId);

        Assert.Equal(SaveStatus.NotFound, cleared.Status);
    }

    [Fact]
    public async Task Queuing_a_deployment_to_the_environment_clears_the_override_with_an_event()
    {
        await _service.SetAsync(ProjectId, EnvironmentId, _scenario.Release.Id);

        var queued = await Deployments().QueueAsync(new DeployRequest(_scenario.Release.Id, EnvironmentId, null));

        Assert.True(queued.Result.Succeeded, queued.Result.Message);
        Assert.Empty((await _service.ListAsync(ProjectId))!);
        var title = $"Deploy {_scenario.Project.Name} 1.0.0 to {_scenario.Environment.Name}";
        Assert.Equal($"Auto-deploy override of {Description} (release 1.0.0) cleared: deployment '{title}' was queued",
            (await EventsAsync())[^1].Message);
    }

    [Fact]
    public async Task Queuing_a_deployment_to_another_environment_keeps_the_override()
    {
        await _service.SetAsync(ProjectId, EnvironmentId, _scenario.Release.Id);
        var elsewhere = await new DeploymentScenario(_database).WithEnvironmentAsync("Test");
        await elsewhere.AddMachineAsync("web-2", "web");

        await Deployments().QueueAsync(new DeployRequest(_scenario.Release.Id, elsewhere.Environment.Id, null));

        Assert.Single((await _service.ListAsync(ProjectId))!);
    }

    private DeploymentService Deployments() => new(_database, new TaskSignals(), _database.Time, CurrentAccess.For(Access.System));

    private async Task<int> AddReleaseAsync(string version)
    {
        await using var db = _database.CreateDbContext();
        SemanticVersion.TryParse(version, out var parsed);
        var release = Release.Create(_scenario.Project, parsed!, null, _database.Time.GetUtcNow());
        db.Releases.Add(release);
        await db.SaveChangesAsync();
        return release.Id;
    }

    /// <summary>The override events, oldest first.</summary>
    private async Task<List<Event>> EventsAsync()
    {
        await using var db = _database.CreateDbContext();
        return await db.Events.Where(e => e.Category == EventCategories.AutoDeployOverrideSet || e.Category == EventCategories.AutoDeployOverrideCleared)
            .OrderBy(e => e.Id).ToListAsync();
    }
}
