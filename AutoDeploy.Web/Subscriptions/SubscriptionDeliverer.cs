using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Subscriptions;

/// <summary>What a delivery pass did, and when the subscription wants the next one.</summary>
public sealed record DeliveryPass(int Delivered, DateTimeOffset? RetryAt)
{
    public static readonly DeliveryPass Idle = new(0, null);
}

/// <summary>
/// One delivery pass of one subscription, driven by the Event table as the auto-deploy engine is (docs/architecture.md
/// §14): take the subscription's lease, read the events after its cursor that it matches, POST them one at a time in id
/// order, and record each attempt in the delivery log in the transaction that moves the cursor (on success) or schedules
/// the retry (on failure). Every write is conditional on the cursor as read and on this node's lease, so two nodes never
/// both move it; a delivery whose record is refused is sent again by whoever holds the lease (at least once).
/// </summary>
public sealed class SubscriptionDeliverer(
    IDbContextFactory<AutoDeployDbContext> factory, WebhookSender sender, SubscriptionSecrets secrets, IOptions<SubscriptionOptions> options,
    NodeIdentity node, TimeProvider time, ILogger<SubscriptionDeliverer> logger, AutoDeployMetrics? metrics = null)
{
    public async Task<DeliveryPass> RunAsync(int subscriptionId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        if (subscription is null || subscription.IsPaused)
        {
            return DeliveryPass.Idle;
        }
        var now = time.GetUtcNow();
        var cursor = await db.SubscriptionCursors.AsNoTracking().SingleOrDefaultAsync(c => c.SubscriptionId == subscriptionId, cancellationToken)
            ?? await SubscriptionService.StartCursorAsync(db, subscriptionId, cancellationToken);
        if (cursor.NextAttemptAt is { } due && due > now)
        {
            return new DeliveryPass(0, due);
        }
        if (!await TakeLeaseAsync(db, subscriptionId, now, cancellationToken))
        {
            var expires = await db.SubscriptionCursors.Where(c => c.SubscriptionId == subscriptionId).Select(c => c.LeaseExpiresAt)
                .SingleOrDefaultAsync(cancellationToken);
            return new DeliveryPass(0, expires ?? now + node.LeaseDuration);
        }

        // Ids commit in id order (docs/architecture.md §3): every event up to the newest id read now is committed.
        var head = await db.Events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        var page = await Matching(db, subscription, cursor.LastEventId, head).OrderBy(e => e.Id).Take(options.Value.PageSize)
            .ToListAsync(cancellationToken);
        if (page.Count == 0)
        {
            // Nothing here is for this subscription: pass over it, so the next pass reads only what comes after.
            if (head > cursor.LastEventId)
            {
                await Held(db, subscriptionId, cursor.LastEventId)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastEventId, head), cancellationToken);
            }
            return DeliveryPass.Idle;
        }

        var secret = secrets.Unprotect(subscription.ProtectedSecret);
        var delivered = 0;
        foreach (var e in page)
        {
            var payload = WebhookPayload.For(e, subscription).ToUtf8();
            var result = await sender.SendAsync(subscription.Url, secret, e.Category, e.Id.ToString(), payload, cancellationToken);
            var recorded = await RecordAsync(db, subscription, cursor, e, result, cancellationToken);
            if (recorded is null)
            {
                logger.LogInformation("Subscription {Subscription}: another node moved its cursor from {Cursor}; this node stops", subscriptionId,
                    cursor.LastEventId);
                return new DeliveryPass(delivered, null);
            }
            cursor = recorded;
            metrics?.WebhookDelivery(result.Succeeded);
            if (!result.Succeeded)
            {
                logger.LogWarning("Subscription {Subscription}: delivering event {Event} failed ({Status}, attempt {Attempt}); next attempt at {Due}",
                    subscriptionId, e.Id, result.StatusCode?.ToString() ?? "no answer", cursor.Attempts, cursor.NextAttemptAt);
                return new DeliveryPass(delivered, cursor.NextAttemptAt);
            }
            delivered++;
        }
        return new DeliveryPass(delivered, null);
    }

    /// <summary>When the earliest retry of any subscription is due, if any.</summary>
    public async Task<DateTimeOffset?> NextRetryDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.SubscriptionCursors.Where(c => c.NextAttemptAt != null).OrderBy(c => c.NextAttemptAt).Select(c => c.NextAttemptAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Records the attempt and moves the cursor past the event (success) or schedules the next attempt (failure), pausing the
    /// subscription when it has failed for <see cref="SubscriptionOptions.PauseAfter"/>; one transaction. Null when the
    /// cursor was no longer as read or the lease was lost: nothing is written.
    /// </summary>
    private async Task<SubscriptionCursor?> RecordAsync(AutoDeployDbContext db, Subscription subscription, SubscriptionCursor read, Event e,
        WebhookResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var backoff = options.Value.Backoff;
        var next = new SubscriptionCursor
        {
            SubscriptionId = read.SubscriptionId,
            LastEventId = result.Succeeded ? e.Id : read.LastEventId,
            Attempts = result.Succeeded ? 0 : read.Attempts + 1,
            FailingSince = result.Succeeded ? null : read.FailingSince ?? now,
            NextAttemptAt = result.Succeeded ? null : now + backoff.After(read.Attempts + 1),
            LeaseOwner = node.Name,
            LeaseExpiresAt = now + node.LeaseDuration,
        };
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await Held(db, read.SubscriptionId, read.LastEventId).Where(c => c.Attempts == read.Attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastEventId, next.LastEventId).SetProperty(c => c.Attempts, next.Attempts)
                .SetProperty(c => c.FailingSince, next.FailingSince).SetProperty(c => c.NextAttemptAt, next.NextAttemptAt)
                .SetProperty(c => c.LeaseExpiresAt, next.LeaseExpiresAt), cancellationToken);
        if (moved == 0)
        {
            return null;
        }
        db.SubscriptionDeliveries.Add(new SubscriptionDelivery
        {
            SubscriptionId = read.SubscriptionId, EventId = e.Id, Category = e.Category, AttemptedAt = now, StatusCode = result.StatusCode,
            Succeeded = result.Succeeded, DurationMs = result.DurationMs, Excerpt = result.Excerpt, Attempt = read.Attempts + 1,
        });
        if (next.FailingSince is { } failingSince && backoff.ShouldPause(failingSince, now))
        {
            var tracked = await db.Subscriptions.SingleAsync(s => s.Id == subscription.Id, cancellationToken);
            tracked.Pause($"deliveries to {subscription.Url} have failed since {failingSince:yyyy-MM-dd HH:mm:ss} UTC " +
                $"({next.Attempts} attempts at event {e.Id}; last: {Describe(result)})", automatic: true, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return next;
    }

    /// <summary>Takes the subscription for this node unless another node's lease on it still runs.</summary>
    private async Task<bool> TakeLeaseAsync(AutoDeployDbContext db, int subscriptionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expires = now + node.LeaseDuration;
        var name = node.Name;
        return await db.SubscriptionCursors
            .Where(c => c.SubscriptionId == subscriptionId && (c.LeaseOwner == null || c.LeaseOwner == name || c.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseOwner, name).SetProperty(c => c.LeaseExpiresAt, expires), cancellationToken) == 1;
    }

    /// <summary>The cursor row, if it is still at <paramref name="lastEventId"/> and this node holds it.</summary>
    private IQueryable<SubscriptionCursor> Held(AutoDeployDbContext db, int subscriptionId, long lastEventId)
    {
        var name = node.Name;
        return db.SubscriptionCursors.Where(c => c.SubscriptionId == subscriptionId && c.LastEventId == lastEventId && c.LeaseOwner == name);
    }

    /// <summary>The events after the cursor, up to <paramref name="head"/>, that the subscription delivers (its matching rule in SQL).</summary>
    public static IQueryable<Event> Matching(AutoDeployDbContext db, Subscription subscription, long after, long head)
    {
        var events = db.Events.AsNoTracking().Where(e => e.Id > after && e.Id <= head);
        var categories = subscription.Categories.ToList();
        if (categories.Count > 0)
        {
            events = events.Where(e => categories.Contains(e.Category));
        }
        var projects = subscription.ProjectIds;
        if (projects.Count > 0)
        {
            events = events.Where(e => e.ProjectId != null && projects.Contains(e.ProjectId.Value));
        }
        var environments = subscription.EnvironmentIds;
        if (environments.Count > 0)
        {
            events = events.Where(e => e.EnvironmentId != null && environments.Contains(e.EnvironmentId.Value));
        }
        return events;
    }

    private static string Describe(WebhookResult result) =>
        result.StatusCode is { } status ? $"HTTP {status}" : Domain.Validation.TextRules.Cut(result.Excerpt, 200);
}
