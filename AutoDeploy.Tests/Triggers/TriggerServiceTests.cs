using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using static AutoDeploy.Tests.Triggers.TriggerTestData;

namespace AutoDeploy.Tests.Triggers;

public sealed class TriggerServiceTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private TriggerService _service = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _service = TriggerService(_database);
        _scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private int ProjectId => _scenario.Project.Id;

    [Fact]
    public async Task CreateAsync_saves_the_filter_and_records_Created()
    {
        var input = Input("Web servers", "web");
        input.EnvironmentIds = [_scenario.Environment.Id];

        var saved = await _service.CreateAsync(ProjectId, input);

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        var read = (await _service.GetAsync(saved.Value!.Id))!;
        Assert.Equal($"{_scenario.Environment.Id} | web | {EventGroups.MachineAvailableForDeployment}",
            $"{string.Join(",", read.EnvironmentIds)} | {string.Join(",", read.Roles)} | {string.Join(",", read.EventGroups)}");
        var recorded = await SingleEventAsync(EventCategories.Created);
        Assert.Equal(("Trigger", read.Id, "Trigger 'Web servers' was created"), (recorded.DocumentType, recorded.TriggerId, recorded.Message));
    }

    [Fact]
    public async Task CreateAsync_name_taken_in_the_project_is_a_conflict_beside_the_name()
    {
        await _service.SaveNewAsync(ProjectId, Input("Web servers"));

        var saved = await _service.CreateAsync(ProjectId, Input("WEB SERVERS "));

        Assert.Equal(SaveStatus.Conflict, saved.Result.Status);
        Assert.Equal(["This project already has a trigger named 'WEB SERVERS'."], saved.Result.Errors![nameof(TriggerInput.Name)]);
    }

    [Fact]
    public async Task CreateAsync_name_taken_in_another_project_is_allowed()
    {
        var other = await new DeploymentScenario(_database).WithReleaseAsync();
        await _service.SaveNewAsync(other.Project.Id, Input("Web servers"));

        var saved = await _service.CreateAsync(ProjectId, Input("Web servers"));

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
    }

    [Fact]
    public async Task CreateAsync_with_an_unknown_environment_is_invalid_beside_the_environments()
    {
        var input = Input("Web");
        input.EnvironmentIds = [_scenario.Environment.Id, 9876];

        var saved = await _service.CreateAsync(ProjectId, input);

        Assert.Equal(SaveStatus.Invalid, saved.Result.Status);
        Assert.Equal(["Environment 9876 does not exist."], saved.Result.Errors![nameof(TriggerInput.EnvironmentIds)]);
    }

    [Fact]
    public async Task CreateAsync_invalid_input_returns_every_message_and_saves_nothing()
    {
        var saved = await _service.CreateAsync(ProjectId, new TriggerInput { Name = "", Roles = ["Bad Role"] });

        Assert.Equal(SaveStatus.Invalid, saved.Result.Status);
        Assert.Equal([nameof(TriggerInput.EventGroups), nameof(TriggerInput.Name), nameof(TriggerInput.Roles)], saved.Result.Errors!.Keys.Order());
        Assert.Empty(await _service.ListAsync(ProjectId) ?? throw new InvalidOperationException());
    }

    [Fact]
    public async Task CreateAsync_for_a_missing_project_is_not_found()
    {
        var saved = await _service.CreateAsync(9876, Input("Web"));

        Assert.Equal(SaveStatus.NotFound, saved.Result.Status);
    }

    [Fact]
    public async Task UpdateAsync_with_the_loaded_version_saves_and_records_Modified()
    {
        var trigger = await _service.SaveNewAsync(ProjectId, Input("Web"));
        var input = trigger.ToInput();
        input.Redeploy = true;

        var saved = await _service.UpdateAsync(trigger.Id, input, trigger.Version);

        Assert.Equal((SaveStatus.Saved, true, trigger.Version + 1), (saved.Result.Status, saved.Value!.Redeploy, saved.Value.Version));
        Assert.Equal("Trigger 'Web' was modified: Redeploy", (await SingleEventAsync(EventCategories.Modified)).Message);
    }

    [Fact]
    public async Task UpdateAsync_with_a_stale_version_is_refused_and_writes_nothing()
    {
        var trigger = await _service.SaveNewAsync(ProjectId, Input("Web"));
        var theirs = trigger.ToInput();
        theirs.Description = "Theirs";
        await _service.UpdateAsync(trigger.Id, theirs, trigger.Version);
        var mine = trigger.ToInput();
        mine.Description = "Mine";

        var saved = await _service.UpdateAsync(trigger.Id, mine, trigger.Version);

        Assert.Equal(SaveStatus.Stale, saved.Result.Status);
        Assert.Equal("Theirs", (await _service.GetAsync(trigger.Id))!.Description);
    }

    [Fact]
    public async Task UpdateAsync_to_a_name_another_trigger_of_the_project_has_is_a_conflict()
    {
        await _service.SaveNewAsync(ProjectId, Input("Web"));
        var trigger = await _service.SaveNewAsync(ProjectId, Input("Workers"));
        var input = trigger.ToInput();
        input.Name = "web";

        var saved = await _service.UpdateAsync(trigger.Id, input, trigger.Version);

        Assert.Equal(SaveStatus.Conflict, saved.Result.Status);
    }

    [Fact]
    public async Task SetEnabledAsync_false_disables_the_trigger_and_records_Modified()
    {
        var trigger = await _service.SaveNewAsync(ProjectId, Input("Web"));

        var saved = await _service.SetEnabledAsync(trigger.Id, false);

        Assert.False(saved.Value!.IsEnabled);
        Assert.Equal("Trigger 'Web' was modified: IsEnabled", (await SingleEventAsync(EventCategories.Modified)).Message);
    }

    [Fact]
    public async Task DeleteAsync_removes_the_trigger_and_records_Deleted()
    {
        var trigger = await _service.SaveNewAsync(ProjectId, Input("Web"));

        var deleted = await _service.DeleteAsync(trigger.Id);

        Assert.True(deleted.Succeeded);
        Assert.Null(await _service.GetAsync(trigger.Id));
        var recorded = await SingleEventAsync(EventCategories.Deleted);
        Assert.Equal(("Trigger 'Web' was deleted", trigger.Id), (recorded.Message, recorded.TriggerId));
    }

    [Fact]
    public async Task ListAsync_returns_only_the_projects_triggers_by_name()
    {
        var other = await new DeploymentScenario(_database).WithReleaseAsync();
        await _service.SaveNewAsync(ProjectId, Input("Workers"));
        await _service.SaveNewAsync(ProjectId, Input("api"));
        await _service.SaveNewAsync(other.Project.Id, Input("Elsewhere"));

        var triggers = await _service.ListAsync(ProjectId);

        Assert.Equal(["api", "Workers"], triggers!.Select(t => t.Name));
    }

    private async Task<Event> SingleEventAsync(string category)
    {
        await using var db = _database.CreateDbContext();
        return await db.Events.SingleAsync(e => e.Category == category && e.DocumentType == "Trigger");
    }
}
