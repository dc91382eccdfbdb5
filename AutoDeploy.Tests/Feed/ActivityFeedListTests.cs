using AngleSharp.Dom;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Web.Components.Pages.ActivityFeed;
using AutoDeploy.Web.Feed;
using Bunit;
using static AutoDeploy.Tests.Feed.ActivityTestData;

namespace AutoDeploy.Tests.Feed;

public sealed class ActivityFeedListTests : FeedComponentContext
{
    [Fact]
    public async Task Shows_the_history_newest_first_and_each_published_event_on_top()
    {
        await Database.AddEnvironmentAsync("Test");
        await Database.AddEnvironmentAsync("Production");
        var feed = Render<ActivityFeedList>();
        feed.WaitForAssertion(() => Assert.Equal(2, Items(feed).Count), Wait);

        await Feed.PublishAsync(Event(await LastEventIdAsync() + 1, EventCategories.DeploymentStarted, "Deploy Shop 1.0.0 to Test started"));

        feed.WaitForAssertion(() => Assert.Equal(
            ["Deploy Shop 1.0.0 to Test started", "Environment 'Production' was created", "Environment 'Test' was created"],
            Messages(feed)), Wait);
    }

    [Fact]
    public async Task A_published_event_outside_the_filter_is_not_shown()
    {
        var feed = Render<ActivityFeedList>(p => p.Add(c => c.Filter, new ActivityFilter { MachineId = 5 }));
        feed.WaitForAssertion(() => Assert.NotNull(feed.Find("[data-testid='no-activity']")), Wait);

        await Feed.PublishAsync(
            Event(101, EventCategories.MachineHealthy, "web-06 is healthy", machineId: 6),
            Event(102, EventCategories.MachineHealthy, "web-05 is healthy", machineId: 5));

        feed.WaitForAssertion(() => Assert.Equal(["web-05 is healthy"], Messages(feed)), Wait);
    }

    [Fact]
    public async Task While_paused_new_events_wait_and_resuming_shows_them()
    {
        var feed = Render<ActivityFeedList>();
        feed.WaitForAssertion(() => Assert.NotNull(feed.Find("[data-testid='no-activity']")), Wait);
        feed.Find("[data-testid='pause-feed']").Click();

        await Feed.PublishAsync(Event(101, message: "while paused"));
        feed.WaitForAssertion(() => Assert.Contains("1 new event waits", feed.Find("[data-testid='pending-count']").TextContent), Wait);
        Assert.Empty(Items(feed));
        feed.Find("[data-testid='pause-feed']").Click();

        feed.WaitForAssertion(() => Assert.Equal(["while paused"], Messages(feed)), Wait);
    }

    [Fact]
    public async Task Load_older_adds_the_next_page_of_history_until_there_is_none()
    {
        await Database.AddEnvironmentAsync("Dev");
        await Database.AddEnvironmentAsync("Test");
        await Database.AddEnvironmentAsync("Production");
        var feed = Render<ActivityFeedList>(p => p.Add(c => c.PageSize, 2));
        feed.WaitForAssertion(() => Assert.Equal(2, Items(feed).Count), Wait);

        feed.Find("[data-testid='load-older']").Click();

        feed.WaitForAssertion(() => Assert.Equal(3, Items(feed).Count), Wait);
        Assert.Equal("Environment 'Dev' was created", Messages(feed)[^1]);
        Assert.Empty(feed.FindAll("[data-testid='load-older']"));
    }

    [Fact]
    public async Task An_event_links_to_the_documents_it_names()
    {
        var feed = Render<ActivityFeedList>();

        await Feed.PublishAsync(Event(101, EventCategories.DeploymentFailed, "Deploy Shop 1.0.0 to Test failed", projectId: 3, deploymentId: 7));

        feed.WaitForAssertion(() => Assert.Single(Items(feed)), Wait);
        var item = Items(feed)[0];
        Assert.Equal(ActivityGroups.Deployments, item.GetAttribute("data-group"));
        Assert.NotNull(item.QuerySelector("a[href='/deployments/7']"));
        Assert.NotNull(item.QuerySelector("a[href='/projects/3']"));
        Assert.NotNull(item.QuerySelector(".mud-error-text"));
    }

    [Fact]
    public async Task Disposing_the_list_ends_its_subscription()
    {
        Render<ActivityFeedList>();
        Assert.Equal(1, Feed.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, Feed.SubscriberCount);
    }

    private static IReadOnlyList<IElement> Items(IRenderedComponent<ActivityFeedList> feed) => feed.FindAll(".activity-item");

    private static List<string> Messages(IRenderedComponent<ActivityFeedList> feed) =>
        Items(feed).Select(i => i.QuerySelector(".activity-message")!.TextContent.Trim()).ToList();
}
