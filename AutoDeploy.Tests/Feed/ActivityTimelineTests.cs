using AutoDeploy.Web.Components.Pages.ActivityFeed;
using static AutoDeploy.Tests.Feed.ActivityTestData;

namespace AutoDeploy.Tests.Feed;

public sealed class ActivityTimelineTests
{
    [Fact]
    public void Events_are_kept_newest_first_whatever_order_they_arrive_in()
    {
        var timeline = new ActivityTimeline(10);

        timeline.Add(Event(2));
        timeline.AddOlder([Event(1)], reachedEnd: true);
        timeline.Add(Event(4));
        timeline.Add(Event(3));

        Assert.Equal([4L, 3, 2, 1], timeline.Items.Select(e => e.Id));
    }

    [Fact]
    public void An_event_already_shown_is_not_added_twice()
    {
        var timeline = new ActivityTimeline(10);
        timeline.Add(Event(5));

        var added = timeline.Add(Event(5));
        timeline.AddOlder([Event(5), Event(4)], reachedEnd: true);

        Assert.False(added);
        Assert.Equal([5L, 4], timeline.Items.Select(e => e.Id));
    }

    [Fact]
    public void Live_events_past_the_capacity_push_the_oldest_off_and_leave_older_history_to_load()
    {
        var timeline = new ActivityTimeline(1);
        timeline.AddOlder([Event(2), Event(1)], reachedEnd: true);

        timeline.Add(Event(3));
        timeline.Add(Event(4));

        Assert.Equal([4L, 3, 2], timeline.Items.Select(e => e.Id));
        Assert.True(timeline.HasOlder);
    }

    [Fact]
    public void History_the_reader_loaded_stays_beside_up_to_capacity_live_events()
    {
        var timeline = new ActivityTimeline(2);
        timeline.AddOlder([Event(4), Event(3)], reachedEnd: false);
        timeline.AddOlder([Event(2), Event(1)], reachedEnd: true);

        timeline.Add(Event(5));
        timeline.Add(Event(6));

        Assert.Equal([6L, 5, 4, 3, 2, 1], timeline.Items.Select(e => e.Id));
        Assert.False(timeline.HasOlder);
    }
}
