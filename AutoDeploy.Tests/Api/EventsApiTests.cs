using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// <c>GET /api/events</c>: filters, cursor and paging. Its subject is the API; reading events after a cursor on PostgreSQL
/// is TwoEnginesPostgresTests', so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class EventsApiTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateApiClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Events_after_a_cursor_come_oldest_first_with_the_next_cursor()
    {
        var cursor = await LastEventIdAsync();
        await AddEnvironmentsAsync("Dev", "Test", "Prod");

        var page = await _client.GetFromJsonAsync<EventsResponse>($"/api/events?after={cursor}");

        Assert.Equal(
            ["Environment 'Dev' was created", "Environment 'Test' was created", "Environment 'Prod' was created"],
            page!.Events.Select(e => e.Message));
        Assert.Equal(page.Events[^1].Id, page.Next);
    }

    [Fact]
    public async Task With_nothing_new_the_next_cursor_stays_where_it_was()
    {
        var cursor = await LastEventIdAsync();

        var page = await _client.GetFromJsonAsync<EventsResponse>($"/api/events?after={cursor}");

        Assert.Empty(page!.Events);
        Assert.Equal(cursor, page.Next);
    }

    [Fact]
    public async Task Category_keeps_only_events_of_that_category()
    {
        var machineId = await RegisterAndDisableAsync("web-01");

        var page = await _client.GetFromJsonAsync<EventsResponse>($"/api/events?category={EventCategories.MachineDisabled}");

        var disabled = Assert.Single(page!.Events);
        Assert.Equal((EventCategories.MachineDisabled, machineId), (disabled.Category, disabled.MachineId));
    }

    [Fact]
    public async Task A_machine_event_group_stands_for_its_categories()
    {
        await RegisterAndDisableAsync("web-01");

        var page = await _client.GetFromJsonAsync<EventsResponse>($"/api/events?category={EventGroups.MachineUnavailableForDeployment}");

        Assert.Equal([EventCategories.MachineDisabled], page!.Events.Select(e => e.Category));
    }

    [Fact]
    public async Task Take_limits_the_page_and_the_next_cursor_reads_on()
    {
        var cursor = await LastEventIdAsync();
        await AddEnvironmentsAsync("Dev", "Test", "Prod");

        var first = await _client.GetFromJsonAsync<EventsResponse>($"/api/events?after={cursor}&take=2");
        var second = await _client.GetFromJsonAsync<EventsResponse>($"/api/events?after={first!.Next}&take=2");

        Assert.Equal(["Environment 'Prod' was created"], second!.Events.Select(e => e.Message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task Take_out_of_range_is_400_naming_the_limits(int take)
    {
        var response = await _client.GetAsync($"/api/events?take={take}");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["'take' must be between 1 and 1000."], problem.Errors["take"]);
    }

    [Fact]
    public async Task An_unknown_category_is_400_naming_it()
    {
        var response = await _client.GetAsync("/api/events?category=MachineExploded");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Unknown event category or group 'MachineExploded'."], problem.Errors["category"]);
    }

    [Fact]
    public async Task Every_bad_parameter_is_reported_at_once()
    {
        var response = await _client.GetAsync("/api/events?after=-1&take=5000&category=Nope");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["after", "category", "take"], problem.Errors.Keys.Order());
    }

    [Fact]
    public async Task Without_an_api_key_it_is_401()
    {
        var response = await _app.CreateClient().GetAsync("/api/events");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<HttpValidationProblemDetails> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!;
    }

    private IDbContextFactory<AutoDeployDbContext> Database => _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();

    private async Task<long> LastEventIdAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Events.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    private async Task AddEnvironmentsAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await using var db = await Database.CreateDbContextAsync();
            db.Environments.Add(DeploymentEnvironment.Create(name, null, 0));
            await db.SaveChangesAsync();
        }
    }

    private async Task<int> RegisterAndDisableAsync(string name)
    {
        await using var db = await Database.CreateDbContextAsync();
        var environment = DeploymentEnvironment.Create($"Env for {name}", null, 0);
        var machine = Machine.Register(name, [environment], ["web"], await db.MachinePolicies.SingleAsync(p => p.IsDefault), DateTimeOffset.UtcNow);
        db.AddRange(environment, machine);
        await db.SaveChangesAsync();
        machine.Disable();
        await db.SaveChangesAsync();
        return machine.Id;
    }
}
