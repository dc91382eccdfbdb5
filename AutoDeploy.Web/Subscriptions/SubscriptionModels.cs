using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Subscriptions;

/// <summary>Whether a subscription delivers now: yes, failing (retrying on a back-off), or paused.</summary>
public enum SubscriptionState { Active, Failing, Paused }

/// <summary>A subscription as its page and the REST API show it; never its secret.</summary>
public sealed record SubscriptionSummary(
    int Id,
    string Name,
    string Url,
    IReadOnlyList<string> EventGroups,
    IReadOnlyList<string> EventCategories,
    IReadOnlyList<int> ProjectIds,
    IReadOnlyList<int> EnvironmentIds,
    string SecretHint,
    DateTimeOffset CreatedAt,
    SubscriptionState State,
    DateTimeOffset? PausedAt,
    string? PausedReason,
    long LastEventId,
    int FailedAttempts,
    DateTimeOffset? FailingSince,
    DateTimeOffset? NextAttemptAt,
    int Version)
{
    public static SubscriptionSummary From(Subscription s, SubscriptionCursor? cursor) => new(
        s.Id, s.Name, s.Url, s.EventGroups, s.EventCategories, s.ProjectIds, s.EnvironmentIds, s.SecretHint, s.CreatedAt,
        s.IsPaused ? SubscriptionState.Paused : cursor?.FailingSince is not null ? SubscriptionState.Failing : SubscriptionState.Active,
        s.PausedAt, s.PausedReason, cursor?.LastEventId ?? 0, cursor?.Attempts ?? 0, cursor?.FailingSince, cursor?.NextAttemptAt, s.Version);
}

/// <summary>A subscription just created: <see cref="Secret"/> is the only time the secret is ever shown.</summary>
public sealed record NewSubscription(SubscriptionSummary Subscription, string Secret);

/// <summary>One line of a subscription's delivery log.</summary>
public sealed record SubscriptionDeliverySummary(
    long Id, long? EventId, string Category, DateTimeOffset AttemptedAt, int? StatusCode, bool Succeeded, int DurationMs, string? Excerpt, int Attempt)
{
    public static SubscriptionDeliverySummary From(SubscriptionDelivery d) =>
        new(d.Id, d.EventId, d.Category, d.AttemptedAt, d.StatusCode, d.Succeeded, d.DurationMs, d.Excerpt, d.Attempt);
}

/// <summary>What the form offers to choose from.</summary>
public sealed record SubscriptionChoices(IReadOnlyList<NamedRef> Projects, IReadOnlyList<NamedRef> Environments);
