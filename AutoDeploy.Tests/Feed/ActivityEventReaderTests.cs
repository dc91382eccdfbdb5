using AutoDeploy.Domain.Permissions;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Feed;

namespace AutoDeploy.Tests.Feed;

public sealed class ActivityEventReaderTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private ActivityEventReader _reader = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _reader = new ActivityEventReader(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Events_after_a_cursor_come_oldest_first_with_their_group()
    {
        var cursor = await _reader.LastIdAsync();
        await _database.AddEnvironmentAsync("Test");
        await _database.AddPolicyAsync();

        var events = await _reader.AfterAsync(cursor, 10);

        Assert.Equal(["Environment 'Test' was created", "Machine policy 'Default Machine Policy' was created"], events.Select(e => e.Message));
        Assert.All(events, e => Assert.Equal(ActivityGroups.Changes, e.Group));
        Assert.True(events[0].Id < events[1].Id);
    }

    [Fact]
    public async Task A_machine_event_concerns_the_environments_of_its_machine()
    {
        var test = await _database.AddEnvironmentAsync("Test");
        var production = await _database.AddEnvironmentAsync("Production");
        var cursor = await _reader.LastIdAsync();
        await _database.AddMachineAsync("web-01", [test, production], await _database.AddPolicyAsync());

        var events = await _reader.AfterAsync(cursor, 10);

        var added = Assert.Single(events, e => e.Category == EventCategories.MachineAdded);
        Assert.Equal([test.Id, production.Id], added.EnvironmentIds.Order());
        Assert.Equal(ActivityGroups.Machines, added.Group);
    }

    [Fact]
    public async Task History_for_an_environment_holds_its_own_events_and_its_machines_events_newest_first()
    {
        var test = await _database.AddEnvironmentAsync("Test");
        var production = await _database.AddEnvironmentAsync("Production");
        var policy = await _database.AddPolicyAsync();
        await _database.AddMachineAsync("web-01", [test], policy);
        await _database.AddMachineAsync("web-02", [production], policy);

        var events = await _reader.BeforeAsync(new ActivityFilter { EnvironmentId = test.Id }, null, 10, Access.System);

        Assert.Equal(["Machine 'web-01' was added to 'Test' with roles web", "Environment 'Test' was created"], events.Select(e => e.Message));
    }

    [Fact]
    public async Task History_reads_on_below_an_id_within_a_group()
    {
        var policy = await _database.AddPolicyAsync();
        var test = await _database.AddEnvironmentAsync("Test");
        var first = await _database.AddMachineAsync("web-01", [test], policy);
        await _database.AddMachineAsync("web-02", [test], policy);
        var newest = await _reader.BeforeAsync(new ActivityFilter { Group = ActivityGroups.Machines }, null, 1, Access.System);

        var older = await _reader.BeforeAsync(new ActivityFilter { Group = ActivityGroups.Machines }, newest[0].Id, 10, Access.System);

        Assert.Equal(["Machine 'web-02' was added to 'Test' with roles web"], newest.Select(e => e.Message));
        Assert.Equal([first.Id], older.Select(e => e.MachineId!.Value));
    }
}
