using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using System.Diagnostics.Metrics;
using AutoDeploy.Web.Subscriptions;
using AutoDeploy.Web.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Subscriptions;

/// <summary>
/// Delivery passes driven one at a time on a fake clock (the app's own worker is off): the back-off, the delivery log, the
/// automatic pause, a restart and a second node, against a real receiver and the app's database (both providers).
/// </summary>
[Trait("Database", "App")]
public sealed class SubscriptionDelivererTests : IAsyncLifetime
{
    private static readonly SubscriptionOptions Settings = new()
    {
        RetryBackoff = TimeSpan.FromSeconds(10), LongestBackoff = TimeSpan.FromMinutes(1), PauseAfter = TimeSpan.FromMinutes(5),
        Timeout = TimeSpan.FromSeconds(5),
    };

    private readonly AutoDeployAppFactory _app = new();
    // A name of its own: OpenTelemetry in other tests' apps listens to every meter named AutoDeploy, and disposing one stops theirs.
    private readonly Meter _meter = new("AutoDeploy.Tests.Subscriptions");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private WebhookReceiver _receiver = null!;
    private IDbContextFactory<AutoDeployDbContext> _database = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Subscriptions:Deliver"] = "false";
        _receiver = await WebhookReceiver.StartAsync();
        _database = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
    }

    public async Task DisposeAsync()
    {
        _meter.Dispose();
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_delivery_waits_out_its_doubling_back_off_and_the_log_records_every_attempt()
    {
        _receiver.FailNext(2);
        var id = await SubscribeAsync();
        var first = (await _database.AddEnvironmentAsync("Staging")).Id;
        var second = (await _database.AddEnvironmentAsync("Production")).Id;
        var deliverer = Deliverer("node-a");
        var outcomes = new List<string>();
        using var listener = ListenToDeliveries(outcomes);

        var failed = await deliverer.RunAsync(id, default);
        var early = await deliverer.RunAsync(id, default);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var again = await deliverer.RunAsync(id, default);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var delivered = await deliverer.RunAsync(id, default);

        Assert.Equal(new DeliveryPass(0, _clock.GetUtcNow() - TimeSpan.FromSeconds(20)), failed);
        Assert.Equal(failed, early);
        Assert.Equal(new DeliveryPass(0, _clock.GetUtcNow()), again);
        Assert.Equal(2, delivered.Delivered);
        Assert.Equal(3, _receiver.All.Count(r => r.EventId == _receiver.All[0].EventId));
        Assert.Equal(await CreatedEventIdsAsync(first, second), _receiver.Accepted.Select(r => r.EventId!.Value));
        var log = (await Service().DeliveriesAsync(id, 50))!.Reverse().ToList();
        Assert.Equal([(503, 1, false), (503, 2, false), (200, 3, true), (200, 1, true)],
            log.Select(d => (d.StatusCode ?? 0, d.Attempt, d.Succeeded)));
        Assert.Equal("thanks", log[^1].Excerpt);
        lock (outcomes)
        {
            Assert.Equal(["failed", "failed", "succeeded", "succeeded"], outcomes);
        }
        var state = (await Service().GetAsync(id))!;
        Assert.Equal((SubscriptionState.Active, 0, _receiver.Accepted[^1].EventId!.Value), (state.State, state.FailedAttempts, state.LastEventId));
    }

    [Fact]
    public async Task Failing_for_the_pause_time_pauses_the_subscription_with_an_event_and_resuming_delivers_what_waited()
    {
        _receiver.FailNext(1000);
        var id = await SubscribeAsync();
        var environment = (await _database.AddEnvironmentAsync("Staging")).Id;
        var deliverer = Deliverer("node-a");

        var passes = 0;
        while (!(await Service().GetAsync(id))!.State.Equals(SubscriptionState.Paused) && passes++ < 50)
        {
            var pass = await deliverer.RunAsync(id, default);
            _clock.Advance(pass.RetryAt!.Value - _clock.GetUtcNow());
        }
        var requests = _receiver.All.Count;
        var whilePaused = await deliverer.RunAsync(id, default);

        Assert.Equal(DeliveryPass.Idle, whilePaused);
        Assert.Equal(requests, _receiver.All.Count);
        Assert.InRange(requests, 5, 12);
        await using (var db = await _database.CreateDbContextAsync())
        {
            var paused = await db.Events.SingleAsync(e => e.Category == EventCategories.SubscriptionPaused);
            Assert.Equal(("Subscription", id), (paused.DocumentType, paused.DocumentId));
            Assert.Contains("have failed since", paused.Message);
            Assert.Contains("HTTP 503", paused.Message);
        }
        _receiver.Recover();
        await Service().SetPausedAsync(id, paused: false);
        var resumed = await deliverer.RunAsync(id, default);
        Assert.Equal(1, resumed.Delivered);
        Assert.Equal(await CreatedEventIdsAsync(environment), _receiver.Accepted.Select(r => r.EventId!.Value));
    }

    [Fact]
    public async Task A_restarted_node_carries_on_from_the_stored_cursor_and_another_node_waits_for_the_lease()
    {
        var id = await SubscribeAsync();
        var first = (await _database.AddEnvironmentAsync("Staging")).Id;
        Assert.Equal(1, (await Deliverer("node-a").RunAsync(id, default)).Delivered);
        var second = (await _database.AddEnvironmentAsync("Production")).Id;

        var otherNode = await Deliverer("node-b").RunAsync(id, default);
        var restarted = await Deliverer("node-a").RunAsync(id, default);
        var third = (await _database.AddEnvironmentAsync("Test")).Id;
        _clock.Advance(TimeSpan.FromSeconds(31));
        var takenOver = await Deliverer("node-b").RunAsync(id, default);

        Assert.Equal((0, _clock.GetUtcNow() - TimeSpan.FromSeconds(1)), (otherNode.Delivered, otherNode.RetryAt));
        Assert.Equal(1, restarted.Delivered);
        Assert.Equal(1, takenOver.Delivered);
        Assert.Equal(await CreatedEventIdsAsync(first, second, third), _receiver.Accepted.Select(r => r.EventId!.Value));
        Assert.Equal(3, _receiver.All.Count);
    }

    [Fact]
    public async Task Events_the_subscription_does_not_match_are_passed_over_and_never_posted()
    {
        var id = await SubscribeAsync(EventCategories.Deleted);
        await _database.AddEnvironmentAsync("Staging");

        var pass = await Deliverer("node-a").RunAsync(id, default);

        Assert.Equal(DeliveryPass.Idle, pass);
        Assert.Empty(_receiver.All);
        await using var db = await _database.CreateDbContextAsync();
        Assert.Equal(await db.Events.MaxAsync(e => e.Id), (await Service().GetAsync(id))!.LastEventId);
    }

    private SubscriptionDeliverer Deliverer(string node) => new(
        _database,
        new WebhookSender(_app.Services.GetRequiredService<IHttpClientFactory>(), Options.Create(Settings), _clock),
        _app.Services.GetRequiredService<SubscriptionSecrets>(),
        Options.Create(Settings),
        new NodeIdentity(node, TimeSpan.FromSeconds(30)),
        _clock,
        NullLogger<SubscriptionDeliverer>.Instance,
        new AutoDeployMetrics(_meter));

    /// <summary>Records the outcome of each webhook delivery these deliverers count (on a meter of this test's own: other tests' apps count theirs).</summary>
    private MeterListener ListenToDeliveries(List<string> outcomes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "autodeploy.webhook.deliveries" && ReferenceEquals(instrument.Meter, _meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (outcomes)
            {
                outcomes.Add((string)tags.ToArray().Single(t => t.Key == "outcome").Value!);
            }
        });
        listener.Start();
        return listener;
    }

    private SubscriptionService Service() => _app.Services.CreateScope().ServiceProvider.GetRequiredService<SubscriptionService>();

    /// <summary>Subscribes the receiver to environments' Created events (or the category given).</summary>
    private async Task<int> SubscribeAsync(string category = EventCategories.Created)
    {
        var (result, created) = await Service().CreateAsync(new SubscriptionInput
        {
            Name = "chat", Url = _receiver.Url, EventCategories = [category],
        });
        Assert.True(result.Succeeded, result.Message);
        return created!.Subscription.Id;
    }

    private async Task<List<long>> CreatedEventIdsAsync(params int[] environmentIds)
    {
        await using var db = await _database.CreateDbContextAsync();
        return await db.Events.Where(e => e.Category == EventCategories.Created && e.DocumentType == "Environment"
                && environmentIds.Contains(e.DocumentId!.Value))
            .OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
    }
}
