using AutoDeploy.Web.Feed;
using AutoDeploy.Web.Signals;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoDeploy.Tests.Feed.ActivityTestData;

namespace AutoDeploy.Tests.Feed;

public sealed class ActivityFeedTests
{
    private readonly ActivityFeed _feed = new(new TaskSignals(), NullLogger<ActivityFeed>.Instance);

    [Fact]
    public void Every_subscriber_gets_each_event_even_when_another_one_throws()
    {
        var received = new List<long>();
        using var failing = _feed.Subscribe(_ => throw new InvalidOperationException("broken component"));
        using var working = _feed.Subscribe(e => received.Add(e.Id));

        _feed.Publish(Event(1));
        _feed.Publish(Event(2));

        Assert.Equal([1L, 2], received);
    }

    [Fact]
    public void A_disposed_subscription_gets_nothing_more()
    {
        var received = new List<long>();
        var subscription = _feed.Subscribe(e => received.Add(e.Id));
        _feed.Publish(Event(1));

        subscription.Dispose();
        _feed.Publish(Event(2));

        Assert.Equal([1L], received);
        Assert.Equal(0, _feed.SubscriberCount);
    }
}
