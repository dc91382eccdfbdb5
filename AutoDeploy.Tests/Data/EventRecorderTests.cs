using System.Text.Json;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Data;

public sealed class EventRecorderTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Creating_an_environment_appends_a_Created_event_with_actor_and_id()
    {
        await using var db = _database.CreateDbContext();
        var environment = DeploymentEnvironment.Create("Production", null, 0);
        db.Environments.Add(environment);

        using (ActorContext.Use("alice@example.com"))
        {
            await db.SaveChangesAsync();
        }

        var recorded = await db.Events.SingleAsync();
        Assert.Equal(EventCategories.Created, recorded.Category);
        Assert.Equal("alice@example.com", recorded.Actor);
        Assert.Equal(environment.Id, recorded.EnvironmentId);
        Assert.Equal("Environment", recorded.DocumentType);
        Assert.Equal(_database.Time.GetUtcNow(), recorded.OccurredAt);
    }

    [Fact]
    public async Task Created_and_Deleted_events_carry_a_snapshot_of_the_document()
    {
        await using var db = _database.CreateDbContext();
        var environment = DeploymentEnvironment.Create("Production", "Live traffic", 3);
        db.Environments.Add(environment);
        await db.SaveChangesAsync();
        db.Environments.Remove(environment);
        await db.SaveChangesAsync();

        var events = await db.Events.OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([EventCategories.Created, EventCategories.Deleted], events.Select(e => e.Category));
        foreach (var recorded in events)
        {
            var snapshot = JsonDocument.Parse(recorded.DetailsJson!).RootElement.GetProperty("snapshot");
            Assert.Equal("Production", snapshot.GetProperty("name").GetString());
            Assert.Equal("Live traffic", snapshot.GetProperty("description").GetString());
            Assert.Equal(3, snapshot.GetProperty("sortOrder").GetInt32());
            Assert.False(snapshot.TryGetProperty("id", out _));
            Assert.False(snapshot.TryGetProperty("version", out _));
        }
    }

    [Fact]
    public async Task A_project_snapshot_masks_sensitive_values_and_a_machine_snapshot_hides_its_token_hash()
    {
        var (environment, policy) = await SeedAsync();
        await using var db = _database.CreateDbContext();
        db.AttachRange(environment, policy);
        var project = Project.Create("Shop", null);
        project.Variables = [new ProjectVariable { Name = "DB_PASSWORD", Value = "s3cret-value", IsSensitive = true },
            new ProjectVariable { Name = "REGION", Value = "eu-west-1" }];
        var machine = Machine.Register("web-01", [environment], ["web"], policy, _database.Time.GetUtcNow());
        machine.AgentTokenHash = "0123456789abcdef-token-hash";
        db.AddRange(project, machine);
        await db.SaveChangesAsync();
        db.Projects.Remove(project);
        db.Machines.Remove(machine);
        await db.SaveChangesAsync();

        var details = string.Join("\n", await db.Events.Select(e => e.DetailsJson).ToListAsync());
        Assert.DoesNotContain("s3cret-value", details);
        Assert.DoesNotContain("token-hash", details);
        Assert.Contains("eu-west-1", details);
        var deleted = await db.Events.SingleAsync(e => e.DocumentType == "Project" && e.Category == EventCategories.Deleted);
        var variables = JsonDocument.Parse(deleted.DetailsJson!).RootElement.GetProperty("snapshot").GetProperty("variables");
        Assert.Equal(ProjectVariable.Mask, variables[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Registering_a_machine_records_MachineAdded_with_the_new_machine_id_and_no_audit_duplicate()
    {
        var (environment, policy) = await SeedAsync();
        await using var db = _database.CreateDbContext();
        db.Attach(environment);
        db.Attach(policy);
        var machine = Machine.Register("web-01", [environment], ["web"], policy, _database.Time.GetUtcNow());
        db.Machines.Add(machine);

        await db.SaveChangesAsync();

        var recorded = await db.Events.Where(e => e.DocumentType == "Machine").SingleAsync();
        Assert.Equal(EventCategories.MachineAdded, recorded.Category);
        Assert.Equal(machine.Id, recorded.MachineId);
        Assert.Equal(policy.Id, recorded.PolicyId);
    }

    [Fact]
    public async Task Modifying_records_the_changed_properties_and_bumps_the_version()
    {
        var (environment, _) = await SeedAsync();
        await using var db = _database.CreateDbContext();
        var loaded = await db.Environments.SingleAsync(e => e.Id == environment.Id);
        loaded.Describe("Live traffic");

        await db.SaveChangesAsync();

        var recorded = await db.Events.OrderBy(e => e.Id).LastAsync();
        Assert.Equal(EventCategories.Modified, recorded.Category);
        Assert.Contains("Description", recorded.Message);
        Assert.Equal(environment.Version + 1, loaded.Version);
    }

    [Fact]
    public async Task A_rename_saved_with_a_change_of_roles_is_recorded_beside_the_domain_event()
    {
        var machineId = await RegisterMachineAsync();
        await using var db = _database.CreateDbContext();
        var machine = await db.Machines.Include(m => m.Environments).Include(m => m.MachinePolicy).SingleAsync(m => m.Id == machineId);

        machine.Rename("web-01-renamed");
        machine.ChangeDeploymentProperties(machine.Environments, ["web", "api"], machine.MachinePolicy!);
        await db.SaveChangesAsync();

        var recorded = await db.Events.Where(e => e.MachineId == machineId && e.Category != EventCategories.MachineAdded)
            .OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([EventCategories.MachineDeploymentRelatedPropertyWasUpdated, EventCategories.Modified], recorded.Select(e => e.Category));
        Assert.Equal("Machine 'web-01-renamed' was modified: Name", recorded[1].Message);
    }

    [Fact]
    public async Task A_change_a_domain_event_tells_is_not_recorded_twice()
    {
        var machineId = await RegisterMachineAsync();
        await using var db = _database.CreateDbContext();
        var machine = await db.Machines.SingleAsync(m => m.Id == machineId);

        machine.Disable();
        await db.SaveChangesAsync();

        var recorded = await db.Events.Where(e => e.MachineId == machineId && e.Category != EventCategories.MachineAdded).ToListAsync();
        Assert.Equal([EventCategories.MachineDisabled], recorded.Select(e => e.Category));
    }

    [Fact]
    public async Task Saving_a_stale_copy_throws_a_concurrency_exception_and_writes_nothing()
    {
        var (environment, _) = await SeedAsync();
        await using var first = _database.CreateDbContext();
        await using var second = _database.CreateDbContext();
        var mine = await first.Environments.SingleAsync(e => e.Id == environment.Id);
        var theirs = await second.Environments.SingleAsync(e => e.Id == environment.Id);
        theirs.Rename("Prod");
        await second.SaveChangesAsync();
        var eventsBefore = await second.Events.CountAsync();

        mine.Rename("Live");

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => first.SaveChangesAsync());
        await using var check = _database.CreateDbContext();
        Assert.Equal("Prod", (await check.Environments.SingleAsync(e => e.Id == environment.Id)).Name);
        Assert.Equal(eventsBefore, await check.Events.CountAsync());
    }

    [Fact]
    public async Task Updating_an_event_is_refused()
    {
        await SeedAsync();
        await using var db = _database.CreateDbContext();
        var recorded = await db.Events.FirstAsync();
        db.Entry(recorded).Property(e => e.Message).CurrentValue = "rewritten";

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task The_database_itself_refuses_to_delete_an_event()
    {
        await SeedAsync();
        await using var db = _database.CreateDbContext();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"Events\""));

        Assert.Contains("append-only", error.Message);
    }

    private async Task<int> RegisterMachineAsync()
    {
        var (environment, policy) = await SeedAsync();
        await using var db = _database.CreateDbContext();
        db.AttachRange(environment, policy);
        var machine = Machine.Register("web-01", [environment], ["web"], policy, _database.Time.GetUtcNow());
        db.Machines.Add(machine);
        await db.SaveChangesAsync();
        return machine.Id;
    }

    private async Task<(DeploymentEnvironment, MachinePolicy)> SeedAsync()
    {
        await using var db = _database.CreateDbContext();
        var environment = DeploymentEnvironment.Create("Production", null, 0);
        var policy = MachinePolicy.CreateDefault();
        db.AddRange(environment, policy);
        await db.SaveChangesAsync();
        return (environment, policy);
    }
}
