using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Machines;

public sealed class MachineServiceUpdateTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private MachineService _service = null!;
    private DeploymentEnvironment _production = null!;
    private DeploymentEnvironment _test = null!;
    private MachinePolicy _policy = null!;
    private Machine _machine = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _service = _database.CreateMachineService();
        _production = await _database.AddEnvironmentAsync("Production");
        _test = await _database.AddEnvironmentAsync("Test");
        _policy = await _database.AddPolicyAsync();
        _machine = await _database.AddMachineAsync("web-01", [_production], _policy, ["web"]);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private MachineJob Job(JobState state) =>
        new() { MachineId = _machine.Id, Kind = AgentJobKind.HealthCheck, Name = "Health check", State = state };

    [Fact]
    public async Task Changing_roles_and_environments_records_one_MachineDeploymentRelatedPropertyWasUpdated()
    {
        var input = MachineTestData.InputFor(_machine);
        input.Roles = ["web", "worker"];
        input.EnvironmentIds = [_production.Id, _test.Id];

        var result = await _service.UpdateAsync(_machine.Id, input, _machine.Version);

        Assert.True(result.Succeeded);
        Assert.Equal([EventCategories.MachineAdded, EventCategories.MachineDeploymentRelatedPropertyWasUpdated],
            await _database.MachineEventCategoriesAsync(_machine.Id));
        var saved = await _service.GetAsync(_machine.Id);
        Assert.Equal(["web", "worker"], saved!.Roles);
        Assert.Equal(2, saved.Environments.Count);
    }

    [Fact]
    public async Task Saving_without_changes_records_no_event()
    {
        var eventsBefore = await _database.EventCountAsync();

        var result = await _service.UpdateAsync(_machine.Id, MachineTestData.InputFor(_machine), _machine.Version);

        Assert.True(result.Succeeded);
        Assert.Equal(eventsBefore, await _database.EventCountAsync());
    }

    [Fact]
    public async Task Clearing_enabled_records_MachineDisabled()
    {
        var input = MachineTestData.InputFor(_machine);
        input.IsEnabled = false;

        await _service.UpdateAsync(_machine.Id, input);

        Assert.Equal(EventCategories.MachineDisabled, (await _database.MachineEventCategoriesAsync(_machine.Id)).Last());
    }

    [Fact]
    public async Task Renaming_saves_the_new_name()
    {
        var input = MachineTestData.InputFor(_machine);
        input.Name = "web-01-renamed";

        await _service.UpdateAsync(_machine.Id, input);

        Assert.Equal("web-01-renamed", (await _service.GetAsync(_machine.Id))!.Name);
    }

    [Fact]
    public async Task An_invalid_input_is_refused_with_the_validator_messages()
    {
        var input = MachineTestData.InputFor(_machine);
        input.Name = "";
        input.Roles = ["Web"];

        var result = await _service.UpdateAsync(_machine.Id, input);

        Assert.Equal(SaveStatus.Invalid, result.Status);
        Assert.Equal(["Name", "Roles"], result.Errors!.Keys.Order());
    }

    [Fact]
    public async Task Unknown_environment_and_policy_ids_are_invalid_and_named()
    {
        var input = MachineTestData.InputFor(_machine);
        input.EnvironmentIds = [_production.Id, 998];
        input.MachinePolicyId = 999;

        var result = await _service.UpdateAsync(_machine.Id, input);

        Assert.Equal(SaveStatus.Invalid, result.Status);
        Assert.Equal(["Unknown environment ids: 998."], result.Errors![nameof(MachineInput.EnvironmentIds)]);
        Assert.Equal(["Unknown machine policy id: 999."], result.Errors[nameof(MachineInput.MachinePolicyId)]);
    }

    [Fact]
    public async Task A_name_another_machine_has_is_a_conflict()
    {
        await _database.AddMachineAsync("db-01", [_production], _policy);
        var input = MachineTestData.InputFor(_machine);
        input.Name = "DB-01";

        var result = await _service.UpdateAsync(_machine.Id, input);

        Assert.Equal(SaveStatus.Conflict, result.Status);
        Assert.Equal("A machine named 'DB-01' already exists.", result.Message);
    }

    [Fact]
    public async Task Saving_a_stale_version_is_refused_and_writes_nothing()
    {
        var loadedVersion = _machine.Version;
        await _service.SetEnabledAsync(_machine.Id, enabled: false);
        var eventsBefore = await _database.EventCountAsync();
        var input = MachineTestData.InputFor(_machine);
        input.Roles = ["worker"];

        var result = await _service.UpdateAsync(_machine.Id, input, loadedVersion);

        Assert.Equal(SaveStatus.Stale, result.Status);
        Assert.Equal(["web"], (await _service.GetAsync(_machine.Id))!.Roles);
        Assert.Equal(eventsBefore, await _database.EventCountAsync());
    }

    [Fact]
    public async Task Updating_an_unknown_machine_is_not_found()
    {
        var result = await _service.UpdateAsync(404, MachineTestData.InputFor(_machine));

        Assert.Equal(SaveStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task Disabling_twice_records_MachineDisabled_once()
    {
        await _service.SetEnabledAsync(_machine.Id, enabled: false);
        await _service.SetEnabledAsync(_machine.Id, enabled: false);

        Assert.Equal([EventCategories.MachineAdded, EventCategories.MachineDisabled],
            await _database.MachineEventCategoriesAsync(_machine.Id));
    }

    [Fact]
    public async Task Deleting_removes_the_machine_and_records_MachineDeleted_naming_the_actor()
    {
        using (ActorContext.Use("alice@example.com"))
        {
            var result = await _service.DeleteAsync(_machine.Id);
            Assert.True(result.Succeeded);
        }

        Assert.Null(await _service.GetAsync(_machine.Id));
        await using var db = _database.CreateDbContext();
        var deleted = db.Events.Where(e => e.MachineId == _machine.Id).OrderBy(e => e.Id).AsEnumerable().Last();
        Assert.Equal(EventCategories.MachineDeleted, deleted.Category);
        Assert.Equal("alice@example.com", deleted.Actor);
        Assert.Contains("by alice@example.com", deleted.Message);
    }

    [Fact]
    public async Task Deleting_ends_the_machines_open_jobs_lost_and_leaves_finished_ones()
    {
        await using (var db = _database.CreateDbContext())
        {
            db.MachineJobs.AddRange(Job(JobState.Pending), Job(JobState.Running), Job(JobState.Succeeded));
            await db.SaveChangesAsync();
        }

        await _service.DeleteAsync(_machine.Id);

        await using var check = _database.CreateDbContext();
        var states = await check.MachineJobs.Where(j => j.MachineId == _machine.Id).OrderBy(j => j.Id).Select(j => j.State).ToListAsync();
        Assert.Equal([JobState.Lost, JobState.Lost, JobState.Succeeded], states);
    }

    [Fact]
    public async Task Deleting_an_unknown_machine_is_not_found()
    {
        var result = await _service.DeleteAsync(404);

        Assert.Equal(SaveStatus.NotFound, result.Status);
    }
}
