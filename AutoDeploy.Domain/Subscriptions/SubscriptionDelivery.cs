namespace AutoDeploy.Domain.Subscriptions;

/// <summary>One attempt to deliver an event (or a test event) to a subscription: the delivery log.</summary>
public sealed class SubscriptionDelivery
{
    public const int MaxExcerptLength = 1000;

    public long Id { get; init; }
    public int SubscriptionId { get; init; }

    /// <summary>The event delivered; null for a test event.</summary>
    public long? EventId { get; init; }

    public required string Category { get; init; }
    public DateTimeOffset AttemptedAt { get; init; }

    /// <summary>The receiver's HTTP status; null when it gave none (refused, timed out).</summary>
    public int? StatusCode { get; init; }

    public bool Succeeded { get; init; }
    public int DurationMs { get; init; }

    /// <summary>The start of the receiver's answer, or why there was none.</summary>
    public string? Excerpt { get; init; }

    /// <summary>Which attempt at this event it was (1 the first).</summary>
    public int Attempt { get; init; }
}
