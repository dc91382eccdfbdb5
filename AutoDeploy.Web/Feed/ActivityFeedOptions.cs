namespace AutoDeploy.Web.Feed;

/// <summary>The <c>ActivityFeed</c> configuration section.</summary>
public sealed class ActivityFeedOptions
{
    /// <summary>
    /// The fallback scan of the Event table: events committed on this node wake the feed at once; this is
    /// how events committed by other nodes arrive until they wake it too.
    /// </summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events read per query.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Subscriptions one hub connection may hold; one more is refused with a hub error.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 100;
}
