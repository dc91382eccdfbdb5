using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Environments;

public sealed class EnvironmentServiceTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private EnvironmentService _service = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _service = new EnvironmentService(_database, new EnvironmentInputValidator(), CurrentAccess.For(Access.System));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task CreateAsync_ValidInput_TrimsTheNameAndPutsItLast()
    {
        await _database.AddEnvironmentAsync("Development");

        var saved = await _service.CreateAsync(new EnvironmentInput { Name = "  Test  ", Description = " Integration " });

        Assert.True(saved.Result.Succeeded);
        var stored = await _service.GetAsync(saved.Value!.Id);
        Assert.Equal(("Test", "Integration", 1), (stored!.Name, stored.Description, stored.SortOrder));
    }

    [Fact]
    public async Task CreateAsync_NameTakenInAnotherCase_IsAConflictBesideName()
    {
        await _database.AddEnvironmentAsync("Production");

        var saved = await _service.CreateAsync(new EnvironmentInput { Name = "production " });

        Assert.Equal(SaveStatus.Conflict, saved.Result.Status);
        Assert.Equal(["An environment named 'production' already exists."], saved.Result.Errors!["Name"]);
    }

    [Fact]
    public async Task CreateAsync_InvalidInput_IsInvalidWithEveryMessageAndWritesNothing()
    {
        var saved = await _service.CreateAsync(new EnvironmentInput { Name = " ", Description = new string('d', 2001) });

        Assert.Equal(SaveStatus.Invalid, saved.Result.Status);
        Assert.Equal(["Description", "Name"], saved.Result.Errors!.Keys.Order());
        Assert.Empty(await _service.ListAsync());
    }

    [Fact]
    public async Task UpdateAsync_WithTheLoadedVersion_RenamesDescribesAndBumpsTheVersion()
    {
        var environment = await _database.AddEnvironmentAsync("Test");

        var saved = await _service.UpdateAsync(environment.Id, new EnvironmentInput { Name = "QA", Description = "Manual testing" }, environment.Version);

        Assert.True(saved.Result.Succeeded);
        Assert.Equal(("QA", "Manual testing", environment.Version + 1), (saved.Value!.Name, saved.Value.Description, saved.Value.Version));
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_IsStaleAndKeepsTheOtherChange()
    {
        var environment = await _database.AddEnvironmentAsync("Test");
        await _service.UpdateAsync(environment.Id, new EnvironmentInput { Name = "Theirs" }, environment.Version);

        var saved = await _service.UpdateAsync(environment.Id, new EnvironmentInput { Name = "Mine" }, environment.Version);

        Assert.Equal(SaveStatus.Stale, saved.Result.Status);
        Assert.Equal("Theirs", (await _service.GetAsync(environment.Id))!.Name);
    }

    [Fact]
    public async Task UpdateAsync_OwnNameInAnotherCase_IsAllowed()
    {
        var environment = await _database.AddEnvironmentAsync("staging");

        var saved = await _service.UpdateAsync(environment.Id, new EnvironmentInput { Name = "Staging" }, environment.Version);

        Assert.True(saved.Result.Succeeded);
    }

    [Fact]
    public async Task UpdateAsync_AnotherEnvironmentsName_IsAConflict()
    {
        await _database.AddEnvironmentAsync("Production");
        var environment = await _database.AddEnvironmentAsync("Staging");

        var saved = await _service.UpdateAsync(environment.Id, new EnvironmentInput { Name = "PRODUCTION" }, environment.Version);

        Assert.Equal("An environment named 'PRODUCTION' already exists.", saved.Result.Message);
    }

    [Fact]
    public async Task UpdateAsync_UnknownId_IsNotFound()
    {
        var saved = await _service.UpdateAsync(404, new EnvironmentInput { Name = "Anything" }, null);

        Assert.Equal(SaveStatus.NotFound, saved.Result.Status);
    }

    [Fact]
    public async Task DeleteAsync_WithMachinesInIt_IsRefusedAndDeletesNothing()
    {
        var environment = await _database.AddEnvironmentAsync("Production");
        await _database.AddMachinesAsync(environment.Id, MachineHealthStatus.Healthy, count: 3);

        var deleted = await _service.DeleteAsync(environment.Id);

        Assert.Equal(SaveStatus.Conflict, deleted.Status);
        Assert.Equal("Environment 'Production' has 3 deployment targets; move or delete them first.", deleted.Message);
        Assert.NotNull(await _service.GetAsync(environment.Id));
    }

    [Fact]
    public async Task DeleteAsync_Empty_RemovesIt()
    {
        var environment = await _database.AddEnvironmentAsync("Scratch");

        var deleted = await _service.DeleteAsync(environment.Id);

        Assert.True(deleted.Succeeded);
        Assert.Null(await _service.GetAsync(environment.Id));
    }

    [Fact]
    public async Task CreateAsync_RecordsACreatedEvent()
    {
        var saved = await _service.CreateAsync(new EnvironmentInput { Name = "Test" });

        var recorded = await LastEventAsync();
        Assert.Equal((EventCategories.Created, saved.Value!.Id), (recorded.Category, recorded.EnvironmentId));
    }

    [Fact]
    public async Task UpdateAsync_RecordsAModifiedEventNamingTheChanges()
    {
        var environment = await _database.AddEnvironmentAsync("Test");

        await _service.UpdateAsync(environment.Id, new EnvironmentInput { Name = "QA", Description = "Manual" }, environment.Version);

        var recorded = await LastEventAsync();
        Assert.Equal((EventCategories.Modified, "Environment 'QA' was modified: Description, Name"), (recorded.Category, recorded.Message));
    }

    [Fact]
    public async Task DeleteAsync_RecordsADeletedEvent()
    {
        var environment = await _database.AddEnvironmentAsync("Scratch");

        await _service.DeleteAsync(environment.Id);

        var recorded = await LastEventAsync();
        Assert.Equal((EventCategories.Deleted, environment.Id), (recorded.Category, recorded.EnvironmentId));
    }

    private async Task<Event> LastEventAsync()
    {
        await using var db = _database.CreateDbContext();
        return await db.Events.OrderBy(e => e.Id).LastAsync();
    }
}
