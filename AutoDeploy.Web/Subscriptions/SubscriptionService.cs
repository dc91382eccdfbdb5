using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Subscriptions;

/// <summary>Subscriptions for their page and the REST API: create (the secret shown once), change, pause, resume, test, delivery log.</summary>
public sealed class SubscriptionService(
    IDbContextFactory<AutoDeployDbContext> factory, IValidator<SubscriptionInput> validator, SubscriptionSecrets secrets, WebhookSender sender,
    TimeProvider time)
{
    public const int MaxDeliveriesShown = 200;

    private static readonly DocumentSaves<Subscription> Saves =
        new("subscription", name => $"A subscription named '{name}' already exists.");

    public async Task<IReadOnlyList<SubscriptionSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var subscriptions = await db.Subscriptions.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var cursors = await db.SubscriptionCursors.AsNoTracking().ToDictionaryAsync(c => c.SubscriptionId, cancellationToken);
        return subscriptions.Select(s => SubscriptionSummary.From(s, cursors.GetValueOrDefault(s.Id))).ToList();
    }

    public async Task<SubscriptionSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await SummaryAsync(db, id, cancellationToken);
    }

    /// <summary>Creates a subscription that delivers the events from now on; the answer holds its secret, once.</summary>
    public async Task<SaveResult<NewSubscription>> CreateAsync(SubscriptionInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await CheckAsync(db, input, null, cancellationToken) is { } refused)
        {
            return refused;
        }
        var secret = SubscriptionSecrets.Generate();
        var subscription = Subscription.Create(input, secrets.Protect(secret), secret[..SubscriptionSecrets.HintLength], time.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Subscriptions.Add(subscription);
        if (await Saves.SaveAsync(db, db.Subscriptions, input.Name, null, cancellationToken) is { Succeeded: false } conflict)
        {
            return conflict;
        }
        await StartCursorAsync(db, subscription.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult<NewSubscription>(SaveResult.Saved,
            new NewSubscription((await SummaryAsync(db, subscription.Id, cancellationToken))!, secret));
    }

    /// <summary>Changes what and where it delivers; a failing subscription tries again at once (perhaps at a corrected URL).</summary>
    public async Task<SaveResult<SubscriptionSummary>> UpdateAsync(int id, SubscriptionInput input, int? version,
        CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return NotFound(id);
        }
        if (Saves.IsStale(db, subscription, version))
        {
            return SaveResult.Stale(Saves.Label);
        }
        if (await CheckAsync(db, input, id, cancellationToken) is { } refused)
        {
            return refused;
        }
        subscription.Update(input);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await Saves.SaveAsync(db, db.Subscriptions, input.Name, id, cancellationToken) is { Succeeded: false } conflict)
        {
            return conflict;
        }
        await db.SubscriptionCursors.Where(c => c.SubscriptionId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult<SubscriptionSummary>(SaveResult.Saved, await SummaryAsync(db, id, cancellationToken));
    }

    public async Task<SaveResult> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return NotFound(id);
        }
        db.Subscriptions.Remove(subscription);
        return await Saves.SaveAsync(db, cancellationToken);
    }

    /// <summary>Pauses (events wait) or resumes (delivery starts afresh from the first event not delivered).</summary>
    public async Task<SaveResult<SubscriptionSummary>> SetPausedAsync(int id, bool paused, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return NotFound(id);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (paused)
        {
            subscription.Pause("paused by an administrator", automatic: false, time.GetUtcNow());
        }
        else
        {
            subscription.Resume();
            await db.SubscriptionCursors.Where(c => c.SubscriptionId == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, 0)
                .SetProperty(c => c.FailingSince, (DateTimeOffset?)null).SetProperty(c => c.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
        }
        if (await Saves.SaveAsync(db, cancellationToken) is { Succeeded: false } refused)
        {
            return refused;
        }
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult<SubscriptionSummary>(SaveResult.Saved, await SummaryAsync(db, id, cancellationToken));
    }

    /// <summary>POSTs a test event (category SubscriptionTest, no event id) at once and logs it; the cursor stays where it is.</summary>
    public async Task<SaveResult<SubscriptionDeliverySummary>> SendTestAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return NotFound(id);
        }
        var now = time.GetUtcNow();
        var body = WebhookPayload.TestFor(subscription, ActorContext.Current, now).ToUtf8();
        var result = await sender.SendAsync(subscription.Url, secrets.Unprotect(subscription.ProtectedSecret), WebhookPayload.TestCategory,
            $"test-{Guid.NewGuid():N}", body, cancellationToken);
        var delivery = new SubscriptionDelivery
        {
            SubscriptionId = id, EventId = null, Category = WebhookPayload.TestCategory, AttemptedAt = now, StatusCode = result.StatusCode,
            Succeeded = result.Succeeded, DurationMs = result.DurationMs, Excerpt = result.Excerpt, Attempt = 1,
        };
        db.SubscriptionDeliveries.Add(delivery);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return NotFound(id);
        }
        return new SaveResult<SubscriptionDeliverySummary>(SaveResult.Saved, SubscriptionDeliverySummary.From(delivery));
    }

    /// <summary>The newest attempts first; null when the subscription does not exist.</summary>
    public async Task<IReadOnlyList<SubscriptionDeliverySummary>?> DeliveriesAsync(int id, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Subscriptions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return null;
        }
        var deliveries = await db.SubscriptionDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id).OrderByDescending(d => d.Id)
            .Take(Math.Clamp(take, 1, MaxDeliveriesShown)).ToListAsync(cancellationToken);
        return deliveries.Select(SubscriptionDeliverySummary.From).ToList();
    }

    /// <summary>The projects and environments a subscription can name, for the form.</summary>
    public async Task<SubscriptionChoices> ChoicesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().Where(p => !p.IsArchived).OrderBy(p => p.Name).Select(p => new NamedRef(p.Id, p.Name))
            .ToListAsync(cancellationToken);
        var environments = await db.Environments.AsNoTracking().OrderBy(e => e.SortOrder).ThenBy(e => e.Id).Select(e => new NamedRef(e.Id, e.Name))
            .ToListAsync(cancellationToken);
        return new SubscriptionChoices(projects, environments);
    }

    /// <summary>A new cursor at the newest event: a subscription delivers what happens after it is created, never history.</summary>
    public static async Task<SubscriptionCursor> StartCursorAsync(AutoDeployDbContext db, int subscriptionId, CancellationToken cancellationToken)
    {
        var head = await db.Events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        var cursor = new SubscriptionCursor { SubscriptionId = subscriptionId, LastEventId = head };
        db.SubscriptionCursors.Add(cursor);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(cursor).State = EntityState.Detached;
        return cursor;
    }

    /// <summary>Validation, unknown projects or environments, a name taken: the refusal, or null when the input may be saved.</summary>
    private async Task<SaveResult?> CheckAsync(AutoDeployDbContext db, SubscriptionInput input, int? exceptId, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        var projectIds = input.ProjectIds.Distinct().ToList();
        var environmentIds = input.EnvironmentIds.Distinct().ToList();
        var unknown = new Dictionary<string, string[]>();
        var projects = await db.Projects.Where(p => projectIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken);
        if (projectIds.Except(projects).ToList() is { Count: > 0 } missingProjects)
        {
            unknown[nameof(SubscriptionInput.ProjectIds)] = [$"Unknown projects: {string.Join(", ", missingProjects)}."];
        }
        var environments = await db.Environments.Where(e => environmentIds.Contains(e.Id)).Select(e => e.Id).ToListAsync(cancellationToken);
        if (environmentIds.Except(environments).ToList() is { Count: > 0 } missingEnvironments)
        {
            unknown[nameof(SubscriptionInput.EnvironmentIds)] = [$"Unknown environments: {string.Join(", ", missingEnvironments)}."];
        }
        if (unknown.Count > 0)
        {
            return new SaveResult(SaveStatus.Invalid, "Please correct the errors.", unknown);
        }
        return await Saves.TakenAsync(db.Subscriptions, input.Name, exceptId, cancellationToken) ? Saves.Conflict(input.Name) : null;
    }

    private static async Task<SubscriptionSummary?> SummaryAsync(AutoDeployDbContext db, int id, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return null;
        }
        var cursor = await db.SubscriptionCursors.AsNoTracking().SingleOrDefaultAsync(c => c.SubscriptionId == id, cancellationToken);
        return SubscriptionSummary.From(subscription, cursor);
    }

    private static SaveResult NotFound(int id) => SaveResult.NotFound($"Subscription {id} does not exist.");
}
