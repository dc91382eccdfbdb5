using AutoDeploy.Domain.Subscriptions;

namespace AutoDeploy.Web.Subscriptions;

/// <summary>The <c>Subscriptions</c> configuration section: how webhooks are delivered.</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>How long a receiver has to answer a delivery before it is cut off (and the delivery failed).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after a first failed delivery; it doubles with each failure in a row, up to <see cref="LongestBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan LongestBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A subscription whose deliveries have failed this long without a success is paused (with an event saying so).</summary>
    public TimeSpan PauseAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Events a delivery pass reads at most.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>The fallback look for new events (events committed by other nodes wake this node too, on PostgreSQL).</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether this node runs the delivery worker (tests turn it off to drive deliveries themselves).</summary>
    public bool Deliver { get; set; } = true;

    public DeliveryBackoff Backoff => new(RetryBackoff, LongestBackoff, PauseAfter);
}
