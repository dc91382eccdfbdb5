using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Environments;

/// <summary><see cref="EnvironmentService"/>'s order (move up and down) and machine counts.</summary>
public sealed class EnvironmentOrderAndCountTests : IAsyncLifetime
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
    public async Task MoveAsync_Up_SwapsWithThePreviousEnvironment()
    {
        await _database.AddEnvironmentAsync("Development");
        await _database.AddEnvironmentAsync("Test");
        var production = await _database.AddEnvironmentAsync("Production");

        await _service.MoveAsync(production.Id, MoveDirection.Up);

        Assert.Equal(["Development", "Production", "Test"], await NamesAsync());
    }

    [Fact]
    public async Task MoveAsync_Down_SwapsWithTheNextEnvironmentAndRecordsAModifiedEventForEach()
    {
        var development = await _database.AddEnvironmentAsync("Development");
        await _database.AddEnvironmentAsync("Test");
        await _database.AddEnvironmentAsync("Production");

        await _service.MoveAsync(development.Id, MoveDirection.Down);

        Assert.Equal(["Test", "Development", "Production"], await NamesAsync());
        Assert.Equal(2, await EventCountAsync(EventCategories.Modified));
    }

    [Fact]
    public async Task MoveAsync_FirstUp_ChangesNothing()
    {
        var development = await _database.AddEnvironmentAsync("Development");
        await _database.AddEnvironmentAsync("Test");
        var eventsBefore = await EventCountAsync();

        var moved = await _service.MoveAsync(development.Id, MoveDirection.Up);

        Assert.True(moved.Succeeded);
        Assert.Equal(eventsBefore, await EventCountAsync());
    }

    [Fact]
    public async Task ListAsync_CountsEnabledMachinesByHealthAndDisabledOnesApart()
    {
        var production = await _database.AddEnvironmentAsync("Production");
        await _database.AddMachinesAsync(production.Id, MachineHealthStatus.Healthy, count: 2);
        await _database.AddMachinesAsync(production.Id, MachineHealthStatus.HasWarnings);
        await _database.AddMachinesAsync(production.Id, MachineHealthStatus.Unhealthy);
        await _database.AddMachinesAsync(production.Id, MachineHealthStatus.Unavailable, count: 3);
        await _database.AddMachinesAsync(production.Id, MachineHealthStatus.Unknown);
        await _database.AddMachinesAsync(production.Id, MachineHealthStatus.Healthy, enabled: false);

        var listed = Assert.Single(await _service.ListAsync());

        Assert.Equal(new MachineCounts(Healthy: 2, HasWarnings: 1, Unhealthy: 1, Unavailable: 3, Unknown: 1, Disabled: 1), listed.Machines);
    }

    [Fact]
    public async Task ListAsync_MachineInTwoEnvironments_CountsInEach()
    {
        var test = await _database.AddEnvironmentAsync("Test");
        var production = await _database.AddEnvironmentAsync("Production");
        await _database.AddEnvironmentAsync("Empty");
        await _database.AddMachinesAsync([test.Id, production.Id], MachineHealthStatus.Healthy);

        var listed = await _service.ListAsync();

        Assert.Equal([1, 1, 0], listed.Select(e => e.Machines.Healthy));
    }

    [Fact]
    public async Task GetAsync_CountsOnlyItsOwnMachines()
    {
        var test = await _database.AddEnvironmentAsync("Test");
        var production = await _database.AddEnvironmentAsync("Production");
        await _database.AddMachinesAsync(test.Id, MachineHealthStatus.Healthy, count: 2);
        await _database.AddMachinesAsync(production.Id, MachineHealthStatus.Unhealthy);

        var got = await _service.GetAsync(test.Id);

        Assert.Equal(MachineCounts.None with { Healthy = 2 }, got!.Machines);
    }

    private async Task<List<string>> NamesAsync() => (await _service.ListAsync()).Select(e => e.Name).ToList();

    private async Task<int> EventCountAsync(string? category = null)
    {
        await using var db = _database.CreateDbContext();
        return await db.Events.CountAsync(e => category == null || e.Category == category);
    }
}
