using System.Net.Http.Json;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Signals;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>
/// Two app instances on one PostgreSQL database. Only node B runs the auto-deploy engine, and its fallback scan is an
/// hour away: when it processes an event that node A committed within seconds, the NOTIFY woke it.
/// </summary>
[Collection("postgres")]
public sealed class EventNotificationPostgresTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private PostgresDatabase _database = null!;
    private AutoDeployAppFactory _b = null!;
    private AutoDeployAppFactory _aBase = null!;
    private WebApplicationFactory<Program> _a = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync(server);
        _b = App();
        _ = _b.Services;
        await Eventually.TrueAsync(async () => await CursorAsync() is not null, Patience, () => "node B's engine should create its cursor");
        _aBase = App();
        _a = _aBase.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(AutoDeployWorker)))));
        _ = _a.Services;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _aBase.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task An_event_committed_on_one_node_wakes_the_engine_of_another_node_at_once()
    {
        var eventId = await CreateEnvironmentOnAAsync("Staging");

        await Eventually.TrueAsync(async () => await CursorAsync() >= eventId, Patience, () => "node B's engine should have read the event");

        Assert.True(_b.Services.GetRequiredService<EventNotificationListener>().Received > 0);
    }

    [Fact]
    public async Task The_listener_reconnects_after_its_connection_drops_and_wakes_the_engine_again()
    {
        var before = await _database.ListenerSessionsAsync();
        Assert.Equal(2, before.Count);
        await _database.TerminateSessionsAsync("LISTEN");
        await Eventually.TrueAsync(async () => (await _database.ListenerSessionsAsync()).Except(before).Count() == 2, Patience,
            () => "both nodes should listen again on new connections");

        var eventId = await CreateEnvironmentOnAAsync("Testing");

        await Eventually.TrueAsync(async () => await CursorAsync() >= eventId, Patience, () => "node B's engine should have read the event");
    }

    [Fact]
    public async Task A_machine_wake_up_on_one_node_ends_the_agent_long_poll_waiting_on_another_node()
    {
        var signalsOnB = _b.Services.GetRequiredService<TaskSignals>();
        // Longer than the test's patience: only a relayed notification can end this wait in time.
        var longPoll = signalsOnB.Machines.WaitAsync(4242, TimeSpan.FromMinutes(5), TimeProvider.System, CancellationToken.None);

        await Eventually.TrueAsync(() =>
        {
            // Repeated until node B hears it: B's listener may still be connecting when the test starts.
            _a.Services.GetRequiredService<TaskSignals>().Machines.Notify(4242);
            return Task.FromResult(longPoll.IsCompleted);
        }, Patience, () => "node A's wake-up for machine 4242 should reach node B");

        Assert.True(longPoll.IsCompletedSuccessfully);
    }

    private AutoDeployAppFactory App()
    {
        var app = new AutoDeployAppFactory();
        app.Settings["Database:Provider"] = "Postgres";
        app.Settings["ConnectionStrings:Default"] = _database.ConnectionString;
        app.Settings["AutoDeploy:ScanInterval"] = "01:00:00";
        return app;
    }

    private async Task<long> CreateEnvironmentOnAAsync(string name)
    {
        using var client = _a.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        (await client.PostAsJsonAsync("/api/environments", new { name })).EnsureSuccessStatusCode();
        await using var db = _database.CreateDbContext();
        return await db.Events.MaxAsync(e => e.Id);
    }

    private async Task<long?> CursorAsync()
    {
        await using var db = _database.CreateDbContext();
        return await db.AutoDeployCursors.Select(c => (long?)c.LastEventId).SingleOrDefaultAsync();
    }
}
