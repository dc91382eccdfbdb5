using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using static AutoDeploy.Tests.MachinePolicies.PolicyTestData;

namespace AutoDeploy.Tests.MachinePolicies;

public sealed class MachinePolicyServiceTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private MachinePolicyService _policies = null!;
    private int _defaultId;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _policies = PolicyService(_database);
        _defaultId = await _database.SeedDefaultPolicyAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task CreateAsync_saves_the_policy_as_not_default_and_records_Created()
    {
        var saved = await _policies.CreateAsync(Input("Elastic web"));

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        var read = (await _policies.GetAsync(saved.Value!.Id))!;
        Assert.Equal((TimeSpan.FromMinutes(30), false), (read.DeleteUnavailableAfter, read.IsDefault));
        var created = await SingleEventAsync(saved.Value.Id);
        Assert.Equal((EventCategories.Created, "Machine policy 'Elastic web' was created"), (created.Category, created.Message));
    }

    [Fact]
    public async Task CreateAsync_with_a_name_taken_ignoring_case_is_a_conflict_on_the_name()
    {
        await _policies.SaveNewAsync(Input("Elastic web"));

        var saved = await _policies.CreateAsync(Input(" ELASTIC WEB "));

        Assert.Equal(SaveStatus.Conflict, saved.Result.Status);
        Assert.Equal(["A machine policy named 'ELASTIC WEB' already exists."], saved.Result.Errors!["Name"]);
    }

    [Fact]
    public async Task CreateAsync_with_invalid_input_returns_every_message_and_writes_nothing()
    {
        var input = Input("");
        input.HealthCheckInterval = TimeSpan.Zero;
        input.HealthCheckType = HealthCheckType.RunScript;

        var saved = await _policies.CreateAsync(input);

        Assert.Equal(SaveStatus.Invalid, saved.Result.Status);
        Assert.Equal(["HealthCheckInterval", "HealthCheckScript", "Name"], saved.Result.Errors!.Keys.Order());
        Assert.Single(await _policies.ListAsync());
    }

    [Fact]
    public async Task UpdateAsync_with_the_loaded_version_saves_bumps_the_version_and_records_Modified()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        var input = policy.ToInput();
        input.HealthCheckType = HealthCheckType.RunScript;
        input.HealthCheckScript = "echo '##warning disk 91% full'\r\nexit 0";

        var saved = await _policies.UpdateAsync(policy.Id, input, policy.Version);

        Assert.Equal(policy.Version + 1, saved.Value!.Version);
        Assert.Equal("echo '##warning disk 91% full'\nexit 0", saved.Value.HealthCheckScript);
        await using var db = _database.CreateDbContext();
        var modified = await db.Events.SingleAsync(e => e.PolicyId == policy.Id && e.Category == EventCategories.Modified);
        Assert.Equal("Machine policy 'Elastic web' was modified: HealthCheckScript, HealthCheckType", modified.Message);
    }

    [Fact]
    public async Task UpdateAsync_with_a_version_someone_saved_over_is_stale_and_writes_nothing()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        var theirs = policy.ToInput();
        theirs.Description = "Theirs";
        await _policies.UpdateAsync(policy.Id, theirs, policy.Version);
        var mine = policy.ToInput();
        mine.Description = "Mine";

        var saved = await _policies.UpdateAsync(policy.Id, mine, policy.Version);

        Assert.Equal(SaveStatus.Stale, saved.Result.Status);
        Assert.Equal("Theirs", (await _policies.GetAsync(policy.Id))!.Description);
    }

    [Fact]
    public async Task UpdateAsync_to_the_name_of_another_policy_is_a_conflict()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        var input = policy.ToInput();
        input.Name = "default machine policy";

        var saved = await _policies.UpdateAsync(policy.Id, input, policy.Version);

        Assert.Equal(SaveStatus.Conflict, saved.Result.Status);
    }

    [Fact]
    public async Task DeleteAsync_of_the_default_policy_is_refused()
    {
        var deleted = await _policies.DeleteAsync(_defaultId);

        Assert.Equal((SaveStatus.Conflict, "The default machine policy cannot be deleted."), (deleted.Status, deleted.Message));
        Assert.NotNull(await _policies.GetAsync(_defaultId));
    }

    [Fact]
    public async Task DeleteAsync_of_a_policy_in_use_names_its_machines_and_deletes_nothing()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        await _database.AddMachinesAsync(policy.Id, "web-02", "web-01");

        var deleted = await _policies.DeleteAsync(policy.Id);

        Assert.Equal(SaveStatus.Conflict, deleted.Status);
        Assert.Equal("Policy 'Elastic web' is used by web-01, web-02; move them to another policy first.", deleted.Message);
        Assert.NotNull(await _policies.GetAsync(policy.Id));
    }

    [Fact]
    public async Task DeleteAsync_of_a_policy_used_by_many_machines_names_ten_and_counts_the_rest()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        await _database.AddMachinesAsync(policy.Id, [.. Enumerable.Range(1, 12).Select(i => $"web-{i:00}")]);

        var deleted = await _policies.DeleteAsync(policy.Id);

        Assert.Equal("Policy 'Elastic web' is used by web-01, web-02, web-03, web-04, web-05, web-06, web-07, web-08, web-09, web-10 " +
                     "and 2 more; move them to another policy first.", deleted.Message);
    }

    [Fact]
    public async Task DeleteAsync_of_an_unused_policy_deletes_it_and_records_Deleted()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));

        var deleted = await _policies.DeleteAsync(policy.Id);

        Assert.Equal(SaveStatus.Saved, deleted.Status);
        Assert.Null(await _policies.GetAsync(policy.Id));
        await using var db = _database.CreateDbContext();
        Assert.True(await db.Events.AnyAsync(e => e.PolicyId == policy.Id && e.Category == EventCategories.Deleted));
    }

    [Fact]
    public async Task DeleteAsync_of_a_missing_policy_is_not_found() =>
        Assert.Equal(SaveStatus.NotFound, (await _policies.DeleteAsync(987654)).Status);

    [Fact]
    public async Task MakeDefaultAsync_leaves_exactly_one_default_and_records_both_changes()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));

        var saved = await _policies.MakeDefaultAsync(policy.Id);

        Assert.True(saved.Value!.IsDefault);
        Assert.Equal([policy.Id], (await _policies.ListAsync()).Where(p => p.IsDefault).Select(p => p.Id));
        await using var db = _database.CreateDbContext();
        var modified = await db.Events.Where(e => e.Category == EventCategories.Modified).Select(e => e.PolicyId).ToListAsync();
        Assert.Equal([_defaultId, policy.Id], modified.Order());
    }

    [Fact]
    public async Task MakeDefaultAsync_of_a_missing_policy_changes_nothing()
    {
        var saved = await _policies.MakeDefaultAsync(987654);

        Assert.Equal(SaveStatus.NotFound, saved.Result.Status);
        Assert.Equal([_defaultId], (await _policies.ListAsync()).Where(p => p.IsDefault).Select(p => p.Id));
    }

    [Fact]
    public async Task ListAsync_puts_the_default_first_and_counts_the_machines_of_each()
    {
        var policy = await _policies.SaveNewAsync(Input("A elastic"));
        await _database.AddMachinesAsync(policy.Id, "web-01", "web-02");
        await _database.AddMachinesAsync(_defaultId, "db-01");

        var list = await _policies.ListAsync();

        Assert.Equal([(MachinePolicy.DefaultName, 1), ("A elastic", 2)], list.Select(p => (p.Name, p.MachineCount)));
    }

    [Fact]
    public async Task GetAsync_lists_the_machines_using_the_policy_by_name()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        await _database.AddMachinesAsync(policy.Id, "web-02", "web-01");

        var read = await _policies.GetAsync(policy.Id);

        Assert.Equal(["web-01", "web-02"], read!.Machines.Select(m => m.Name));
    }

    private async Task<Event> SingleEventAsync(int policyId)
    {
        await using var db = _database.CreateDbContext();
        return await db.Events.SingleAsync(e => e.PolicyId == policyId);
    }
}
