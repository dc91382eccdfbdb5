using AutoDeploy.Web.Signals;

namespace AutoDeploy.Web.Feed;

/// <summary>
/// This node's live feed: <see cref="ActivityFeedWorker"/> tails the Event table and publishes each new event here,
/// to every subscriber in the process (components) and to <c>/hubs/activity</c>.
/// </summary>
public sealed class ActivityFeed(TaskSignals signals, ILogger<ActivityFeed> logger) : IActivityFeed
{
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];

    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    public IDisposable Subscribe(Action<ActivityEvent> onEvent)
    {
        var subscription = new Subscription(this, onEvent);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }
        return subscription;
    }

    /// <summary>Reads the Event table now instead of at the next scan: for wake-ups from other nodes.</summary>
    public void Wake() => signals.Feed.Notify(0);

    /// <summary>Hands the event to every subscriber; one that throws is logged and keeps its subscription.</summary>
    public void Publish(ActivityEvent activity)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            try
            {
                subscription.OnEvent(activity);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "An activity feed subscriber failed on event {EventId}", activity.Id);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
        }
    }

    private sealed class Subscription(ActivityFeed feed, Action<ActivityEvent> onEvent) : IDisposable
    {
        public Action<ActivityEvent> OnEvent => onEvent;

        public void Dispose() => feed.Remove(this);
    }
}
