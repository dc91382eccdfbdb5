namespace AutoDeploy.Domain.Subscriptions;

/// <summary>
/// How far a subscription has delivered the Event table, and its delivery state: the failing attempts at the next event,
/// when to try again, and which node holds it now. Moved only from the values it was read at, in the transaction that
/// records the delivery (docs/architecture.md §14).
/// </summary>
public sealed class SubscriptionCursor
{
    public int SubscriptionId { get; init; }

    /// <summary>The last event delivered or passed over as not matching.</summary>
    public long LastEventId { get; set; }

    /// <summary>Failed attempts at the next event in a row.</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due after a failure; null: at once.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Since when deliveries have failed without a success in between; null while they succeed.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>The node delivering this subscription now, until <see cref="LeaseExpiresAt"/>.</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }
}
