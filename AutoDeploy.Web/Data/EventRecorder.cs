using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AutoDeploy.Web.Data;

/// <summary>
/// The one domain-event listener: before a save it collects the domain events raised by documents and
/// a Created/Modified/Deleted audit event for every other changed document, bumps concurrency versions,
/// and after the save turns them into Event rows that are committed in the same transaction.
/// </summary>
internal static class EventRecorder
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly HashSet<string> Bookkeeping = [nameof(Document.Version), nameof(Document.NormalizedName)];

    public static List<PendingEvent> Collect(ChangeTracker tracker)
    {
        tracker.DetectChanges();
        RefuseEventChanges(tracker);
        var pending = new List<PendingEvent>();
        foreach (var source in tracker.EntriesAsDetected<EventSource>().Select(e => e.Entity))
        {
            var documentEntry = source is Document document ? tracker.Context.Entry(document) : null;
            if (source.DomainEvents.Count > 0)
            {
                // Observations (health) are events but not edits: they leave the concurrency version alone.
                var edited = source.DomainEvents.Any(e => !EventCategories.Observed.Contains(e.Category));
                pending.AddRange(source.DomainEvents.Select(e => new PendingEvent(source, e.Category, e.Message, e.Links, e.Details)));
                // A rename saved with a change of roles is told by no domain event: it gets its own Modified event.
                if (documentEntry is not null && documentEntry.State == EntityState.Modified && Covered(source.DomainEvents) is { } covered
                    && Audit(documentEntry, covered) is { } uncovered)
                {
                    pending.Add(uncovered);
                }
                source.ClearDomainEvents();
                if (documentEntry is not null && (edited || HasAuditedChanges(documentEntry)))
                {
                    BumpVersion(documentEntry);
                }
            }
            else if (documentEntry is not null && Audit(documentEntry) is { } audit)
            {
                pending.Add(audit);
                BumpVersion(documentEntry);
            }
        }
        return pending;
    }

    public static Event ToEvent(PendingEvent pending, DateTimeOffset now, string actor)
    {
        int? id = pending.Source?.Id;
        var type = pending.Source?.DocumentType;
        var links = pending.Links ?? new EventLinks();
        if (pending.Source is ProjectTrigger trigger)
        {
            // A trigger's audit events belong to its project too, so the project's audit log shows them.
            links = links with { ProjectId = trigger.ProjectId };
        }
        return new Event
        {
            OccurredAt = now,
            Category = pending.Category,
            Actor = actor,
            Message = TextRules.Cut(pending.Message),
            DocumentType = type,
            DocumentId = id,
            MachineId = type == "Machine" ? id : links.MachineId,
            EnvironmentId = type == "Environment" ? id : links.EnvironmentId,
            PolicyId = type == "MachinePolicy" ? id : links.PolicyId,
            ProjectId = type == "Project" ? id : links.ProjectId,
            ReleaseId = type == "Release" ? id : links.ReleaseId,
            DeploymentId = type == "Deployment" ? id : links.DeploymentId,
            TriggerId = type == "Trigger" ? id : links.TriggerId,
            DetailsJson = pending.Details is null ? null : JsonSerializer.Serialize(pending.Details, Json),
        };
    }

    /// <summary>The properties the events tell between them; null when one of them tells every change.</summary>
    private static HashSet<string>? Covered(IEnumerable<DomainEvent> events)
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domainEvent in events)
        {
            if (domainEvent.Covers is null)
            {
                return null;
            }
            covered.UnionWith(domainEvent.Covers);
        }
        return covered;
    }

    private static PendingEvent? Audit(EntityEntry<Document> entry, IReadOnlySet<string>? covered = null)
    {
        var document = entry.Entity;
        var label = $"{Describe(document.DocumentType)} '{document.Name}'";
        switch (entry.State)
        {
            case EntityState.Added:
                return new PendingEvent(document, EventCategories.Created, $"{label} was created", null, new { snapshot = Snapshot(entry, p => p.CurrentValue) });
            case EntityState.Deleted:
                return new PendingEvent(document, EventCategories.Deleted, $"{label} was deleted", null, new { snapshot = Snapshot(entry, p => p.OriginalValue) });
            case EntityState.Modified:
                var changes = AuditedChanges(entry)
                    .Where(p => covered is null || !covered.Contains(p.Metadata.Name))
                    .Select(p => new
                    {
                        property = p.Metadata.Name,
                        from = document.AuditValue(p.Metadata.Name, p.OriginalValue),
                        to = document.AuditValue(p.Metadata.Name, p.CurrentValue),
                    })
                    .ToList();
                if (changes.Count == 0)
                {
                    return null;
                }
                var names = string.Join(", ", changes.Select(c => c.property));
                return new PendingEvent(document, EventCategories.Modified, $"{label} was modified: {names}", null, new { changes });
            default:
                return null;
        }
    }

    /// <summary>The document's audited properties as they are when created or were when deleted: what a Created or Deleted event keeps.</summary>
    private static Dictionary<string, object?> Snapshot(EntityEntry<Document> entry, Func<PropertyEntry, object?> value) =>
        entry.Properties.Where(p => IsAudited(p.Metadata) && !p.Metadata.IsPrimaryKey())
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Metadata.Name), p => entry.Entity.AuditValue(p.Metadata.Name, value(p)),
                StringComparer.Ordinal);

    private static IEnumerable<PropertyEntry> AuditedChanges(EntityEntry<Document> entry) =>
        entry.Properties.Where(p => p.IsModified && IsAudited(p.Metadata) && !Equals(p.OriginalValue, p.CurrentValue));

    private static bool HasAuditedChanges(EntityEntry<Document> entry) => AuditedChanges(entry).Any();

    private static bool IsAudited(IProperty property) =>
        !Bookkeeping.Contains(property.Name)
        && property.PropertyInfo?.IsDefined(typeof(NotAuditedAttribute), inherit: true) != true;

    private static void BumpVersion(EntityEntry<Document> entry)
    {
        if (entry.State is EntityState.Modified or EntityState.Unchanged)
        {
            var version = entry.Property(d => d.Version);
            version.CurrentValue = version.OriginalValue + 1;
        }
    }

    private static void RefuseEventChanges(ChangeTracker tracker)
    {
        if (tracker.EntriesAsDetected<Event>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Events are append-only: no code path updates or deletes an event.");
        }
    }

    private static string Describe(string documentType) => documentType switch
    {
        "MachinePolicy" => "Machine policy",
        _ => documentType,
    };
}
