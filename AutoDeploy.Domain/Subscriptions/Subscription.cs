using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Subscriptions;

/// <summary>
/// A webhook: events that match its categories (groups expanded), projects and environments are POSTed to its URL,
/// signed with its secret, in event order (docs/architecture.md §14). Empty lists mean all. The secret is kept encrypted
/// by the server (never in the audit log) and shown once, when the subscription is created.
/// </summary>
public sealed class Subscription : Document
{
    public const int MaxUrlLength = 2000;
    public const int MaxReasonLength = 1000;

    public override string DocumentType => "Subscription";

    public string Url { get; private set; } = "";
    public List<string> EventGroups { get; private set; } = [];
    public List<string> EventCategories { get; private set; } = [];
    public List<int> ProjectIds { get; private set; } = [];
    public List<int> EnvironmentIds { get; private set; } = [];

    /// <summary>The secret, encrypted with the server's Data Protection keys.</summary>
    [NotAudited]
    public string ProtectedSecret { get; private set; } = "";

    /// <summary>The secret's first characters, to recognise it.</summary>
    public string SecretHint { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Paused by an administrator or after failing too long; events wait (the cursor stays) until it is resumed.</summary>
    public DateTimeOffset? PausedAt { get; private set; }

    public string? PausedReason { get; private set; }

    public bool IsPaused => PausedAt is not null;

    /// <summary>The categories it delivers: named ones plus the groups' members; empty: every category.</summary>
    public IReadOnlySet<string> Categories => Events.EventGroups.Expand(EventGroups, EventCategories);

    public static Subscription Create(SubscriptionInput input, string protectedSecret, string secretHint, DateTimeOffset now)
    {
        var subscription = new Subscription { ProtectedSecret = protectedSecret, SecretHint = secretHint, CreatedAt = now };
        subscription.Update(input);
        return subscription;
    }

    public void Update(SubscriptionInput input)
    {
        Rename(input.Name);
        Url = input.Url.Trim();
        EventGroups = Distinct(input.EventGroups);
        EventCategories = Distinct(input.EventCategories);
        ProjectIds = input.ProjectIds.Distinct().Order().ToList();
        EnvironmentIds = input.EnvironmentIds.Distinct().Order().ToList();
    }

    /// <summary>Whether the event is one this subscription delivers.</summary>
    public bool Matches(Event e)
    {
        var categories = Categories;
        return (categories.Count == 0 || categories.Contains(e.Category))
            && (ProjectIds.Count == 0 || e.ProjectId is { } project && ProjectIds.Contains(project))
            && (EnvironmentIds.Count == 0 || e.EnvironmentId is { } environment && EnvironmentIds.Contains(environment));
    }

    /// <summary>Stops delivering; <paramref name="automatic"/> when the server pauses it after failing too long.</summary>
    public void Pause(string reason, bool automatic, DateTimeOffset now)
    {
        if (IsPaused)
        {
            return;
        }
        PausedAt = now;
        PausedReason = Validation.TextRules.Cut(reason, MaxReasonLength);
        Raise(new DomainEvent(Events.EventCategories.SubscriptionPaused,
            automatic ? $"Subscription '{Name}' was paused: {PausedReason}" : $"Subscription '{Name}' was paused by an administrator",
            Details: new { url = Url, automatic, reason = PausedReason }, Covers: [nameof(PausedAt), nameof(PausedReason)]));
    }

    /// <summary>Delivers again, from the first event it has not delivered.</summary>
    public void Resume()
    {
        if (!IsPaused)
        {
            return;
        }
        PausedAt = null;
        PausedReason = null;
        Raise(new DomainEvent(Events.EventCategories.SubscriptionResumed, $"Subscription '{Name}' was resumed",
            Details: new { url = Url }, Covers: [nameof(PausedAt), nameof(PausedReason)]));
    }

    private static List<string> Distinct(IEnumerable<string> names) =>
        names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct(StringComparer.Ordinal).ToList();
}
