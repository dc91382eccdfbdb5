using AutoDeploy.Web.Feed;

namespace AutoDeploy.Tests.Feed;

/// <summary>Stands in for the live feed in component tests: the test publishes the events.</summary>
public sealed class FakeActivityFeed : IActivityFeed
{
    private readonly List<Action<ActivityEvent>> _subscribers = [];

    public int SubscriberCount
    {
        get { lock (_subscribers) { return _subscribers.Count; } }
    }

    public IDisposable Subscribe(Action<ActivityEvent> onEvent)
    {
        lock (_subscribers)
        {
            _subscribers.Add(onEvent);
        }
        return new Unsubscriber(() =>
        {
            lock (_subscribers)
            {
                _subscribers.Remove(onEvent);
            }
        });
    }

    /// <summary>Publishes from another thread, as the feed's worker does.</summary>
    public Task PublishAsync(params ActivityEvent[] events) => Task.Run(() =>
    {
        Action<ActivityEvent>[] subscribers;
        lock (_subscribers)
        {
            subscribers = [.. _subscribers];
        }
        foreach (var activity in events)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber(activity);
            }
        }
    });

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
