using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Signals;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Feed;

/// <summary>
/// Tails the Event table after its own cursor (the newest event at start-up) and publishes each new event, in id order,
/// to <see cref="ActivityFeed"/> and the hub's subscribers. Woken at once by commits on this node (and by
/// <see cref="ActivityFeed.Wake"/>); <see cref="ActivityFeedOptions.ScanInterval"/> is the fallback.
/// </summary>
public sealed class ActivityFeedWorker(
    ActivityFeed feed, ActivityEventReader reader, ActivityHubSubscriptions hubSubscriptions, HubAccessGuard hubAccess,
    IHubContext<ActivityHub, IActivityClient> hub, TaskSignals signals, IOptions<ActivityFeedOptions> options,
    TimeProvider time, ILogger<ActivityFeedWorker> logger) : BackgroundService
{
    private long? _start;

    /// <summary>Takes the cursor before the app serves anyone, so every event committed once it runs is published.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _start = await reader.LastIdAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "The activity feed could not read where the Event table ends; it tries again when it runs");
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cursor = _start;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Waiting starts before the read, so a commit during the read still wakes the next one.
            var wake = signals.Feed.WaitAsync(0, options.Value.ScanInterval, time, stoppingToken);
            try
            {
                cursor ??= await reader.LastIdAsync(stoppingToken);
                cursor = await PublishNewAsync(cursor.Value, stoppingToken);
                failures = 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                logger.LogError(ex, "Reading the activity feed failed ({Failures} in a row); it retries from event {Cursor}", failures, cursor);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, failures))), time, stoppingToken)
                    .ContinueWith(_ => { }, TaskScheduler.Default);
            }
            try
            {
                await wake;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<long> PublishNewAsync(long cursor, CancellationToken cancellationToken)
    {
        // Nobody listening (no page, no hub connection): the events are not read, only the cursor moves to the end. Whether
        // anyone listens is asked again after the end is read, so whoever subscribes meanwhile gets every event after it.
        if (!Listened())
        {
            var end = await reader.LastIdAsync(cancellationToken);
            if (!Listened())
            {
                return Math.Max(cursor, end);
            }
        }
        var pageSize = Math.Clamp(options.Value.PageSize, 1, ActivityEventReader.MaxTake);
        while (true)
        {
            var page = await reader.AfterAsync(cursor, pageSize, cancellationToken);
            // Before sending: an event about a user's access closes the connections that should no longer get events.
            if (page.Any(a => EventCategories.UserAdministration.Contains(a.Category)))
            {
                await hubAccess.CheckAsync(cancellationToken);
            }
            foreach (var activity in page)
            {
                feed.Publish(activity);
                await SendToHubAsync(activity);
                cursor = activity.Id;
            }
            if (page.Count < pageSize)
            {
                return cursor;
            }
        }
    }

    private bool Listened() => feed.SubscriberCount > 0 || !hubSubscriptions.IsEmpty;

    /// <summary>A hub client that cannot be reached is SignalR's business; the feed carries on.</summary>
    private async Task SendToHubAsync(ActivityEvent activity)
    {
        var connections = hubSubscriptions.ConnectionsFor(activity);
        if (connections.Count == 0)
        {
            return;
        }
        try
        {
            await hub.Clients.Clients(connections).Event(activity);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Sending event {EventId} to activity hub clients failed", activity.Id);
        }
    }
}
