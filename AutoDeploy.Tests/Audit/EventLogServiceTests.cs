using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Audit;

public sealed class EventLogServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private SqliteDatabase _database = null!;
    private EventLogService _service = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(_time);
        _service = new EventLogService(_database, CurrentAccess.For(Access.System));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task GetPageAsync_without_filter_lists_every_event_newest_first()
    {
        var (environment, _) = await SeedAsync();
        var machine = await RegisterAsync("web-01", environment);
        await DisableAsync(machine.Id);

        var page = await _service.GetPageAsync(EventLogFilter.None, null, 25);

        Assert.Equal(
            [EventCategories.MachineDisabled, EventCategories.MachineAdded, EventCategories.Created, EventCategories.Created],
            page.Events.Select(e => e.Category));
    }

    [Fact]
    public async Task GetPageAsync_by_several_categories_keeps_only_those()
    {
        var (environment, _) = await SeedAsync();
        var machine = await RegisterAsync("web-01", environment);
        await DisableAsync(machine.Id);

        var page = await _service.GetPageAsync(
            new EventLogFilter { Categories = [EventCategories.MachineAdded, EventCategories.MachineDisabled] }, null, 25);

        Assert.Equal([EventCategories.MachineDisabled, EventCategories.MachineAdded], page.Events.Select(e => e.Category));
    }

    [Fact]
    public async Task GetPageAsync_by_document_type_and_id_keeps_that_documents_events_only()
    {
        var (environment, _) = await SeedAsync();
        var web = await RegisterAsync("web-01", environment);
        var worker = await RegisterAsync("worker-01", environment);
        await DisableAsync(web.Id);
        await DisableAsync(worker.Id);

        var page = await _service.GetPageAsync(
            new EventLogFilter { DocumentType = EventDocumentTypes.Machine, DocumentId = web.Id }, null, 25);

        Assert.Equal(2, page.Events.Count);
        Assert.All(page.Events, e => Assert.Equal(web.Id, e.MachineId));
    }

    [Fact]
    public async Task GetPageAsync_by_a_policy_includes_the_events_of_machines_linked_to_it()
    {
        var (environment, policy) = await SeedAsync();
        var machine = await RegisterAsync("web-01", environment);

        var page = await _service.GetPageAsync(
            new EventLogFilter { DocumentType = EventDocumentTypes.MachinePolicy, DocumentId = policy.Id }, null, 25);

        Assert.Equal([(EventCategories.MachineAdded, machine.Id), (EventCategories.Created, (int?)null)],
            page.Events.Select(e => (e.Category, e.MachineId)));
    }

    [Fact]
    public async Task GetPageAsync_by_document_type_alone_keeps_documents_of_that_type()
    {
        var (environment, _) = await SeedAsync();
        await RegisterAsync("web-01", environment);

        var page = await _service.GetPageAsync(new EventLogFilter { DocumentType = EventDocumentTypes.Environment }, null, 25);

        Assert.Equal(environment.Id, Assert.Single(page.Events).DocumentId);
    }

    [Fact]
    public async Task GetPageAsync_by_actor_matches_part_of_the_name_in_any_case()
    {
        using (ActorContext.Use("alice@example.com"))
        {
            await AddEnvironmentAsync("Test");
        }
        using (ActorContext.Use("bob@example.com"))
        {
            await AddEnvironmentAsync("Production");
        }

        var page = await _service.GetPageAsync(new EventLogFilter { Actor = "ALICE" }, null, 25);

        Assert.Equal("alice@example.com", Assert.Single(page.Events).Actor);
    }

    [Fact]
    public async Task GetPageAsync_by_date_range_includes_whole_first_and_last_days_in_utc()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 21, 23, 59, 59, TimeSpan.Zero));
        await AddEnvironmentAsync("Before");
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        await AddEnvironmentAsync("First day");
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 23, 59, 59, TimeSpan.Zero));
        await AddEnvironmentAsync("Last day");
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
        await AddEnvironmentAsync("After");

        var page = await _service.GetPageAsync(
            new EventLogFilter { From = new DateOnly(2026, 11, 22), To = new DateOnly(2026, 11, 23) }, null, 25);

        Assert.Equal(["Environment 'Last day' was created", "Environment 'First day' was created"], page.Events.Select(e => e.Message));
    }

    [Fact]
    public async Task GetPageAsync_pages_below_a_cursor_and_says_where_the_next_page_starts()
    {
        for (var i = 1; i <= 5; i++)
        {
            await AddEnvironmentAsync($"Env {i}");
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var first = await _service.GetPageAsync(EventLogFilter.None, null, 2);
        var second = await _service.GetPageAsync(EventLogFilter.None, first.NextBefore, 2);
        var last = await _service.GetPageAsync(EventLogFilter.None, second.NextBefore, 2);

        Assert.Equal(["Environment 'Env 5' was created", "Environment 'Env 4' was created"], first.Events.Select(e => e.Message));
        Assert.Equal(["Environment 'Env 3' was created", "Environment 'Env 2' was created"], second.Events.Select(e => e.Message));
        Assert.Equal(second.Events[^1].Id, second.NextBefore);
        Assert.Equal(["Environment 'Env 1' was created"], last.Events.Select(e => e.Message));
        Assert.Null(last.NextBefore);
    }

    [Fact]
    public async Task GetPageAsync_with_exactly_a_page_left_has_no_next_page()
    {
        await AddEnvironmentAsync("Only one");
        await AddEnvironmentAsync("And two");

        var page = await _service.GetPageAsync(EventLogFilter.None, null, 2);

        Assert.Equal(2, page.Events.Count);
        Assert.Null(page.NextBefore);
    }

    [Fact]
    public async Task GetAfterAsync_returns_events_after_the_cursor_oldest_first()
    {
        for (var i = 1; i <= 4; i++)
        {
            await AddEnvironmentAsync($"Env {i}");
        }
        var ids = await AllIdsAsync();

        var events = await _service.GetAfterAsync(ids[1], [], take: 10);

        Assert.Equal(ids[2..], events.Select(e => e.Id));
    }

    [Fact]
    public async Task GetAfterAsync_filters_by_category_and_stops_at_take()
    {
        var (environment, _) = await SeedAsync();
        var first = await RegisterAsync("web-01", environment);
        var second = await RegisterAsync("web-02", environment);
        await RegisterAsync("web-03", environment);

        var events = await _service.GetAfterAsync(0, [EventCategories.MachineAdded], take: 2);

        Assert.Equal([first.Id, second.Id], events.Select(e => e.MachineId));
    }

    private async Task<(DeploymentEnvironment, MachinePolicy)> SeedAsync()
    {
        await using var db = _database.CreateDbContext();
        var environment = DeploymentEnvironment.Create("Production", null, 0);
        var policy = MachinePolicy.CreateDefault();
        db.AddRange(environment, policy);
        await db.SaveChangesAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        return (environment, policy);
    }

    private async Task AddEnvironmentAsync(string name)
    {
        await using var db = _database.CreateDbContext();
        db.Environments.Add(DeploymentEnvironment.Create(name, null, 0));
        await db.SaveChangesAsync();
    }

    private async Task<Machine> RegisterAsync(string name, DeploymentEnvironment environment)
    {
        await using var db = _database.CreateDbContext();
        var loaded = await db.Environments.SingleAsync(e => e.Id == environment.Id);
        var policy = await db.MachinePolicies.SingleAsync(p => p.IsDefault);
        var machine = Machine.Register(name, [loaded], ["web"], policy, _time.GetUtcNow());
        db.Machines.Add(machine);
        await db.SaveChangesAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        return machine;
    }

    private async Task DisableAsync(int machineId)
    {
        await using var db = _database.CreateDbContext();
        (await db.Machines.SingleAsync(m => m.Id == machineId)).Disable();
        await db.SaveChangesAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
    }

    private async Task<long[]> AllIdsAsync()
    {
        await using var db = _database.CreateDbContext();
        return await db.Events.OrderBy(e => e.Id).Select(e => e.Id).ToArrayAsync();
    }
}
