using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>
/// Reads the Event table: pages of the audit log (newest first) for the screen, and events after a cursor
/// (oldest first) for API clients. Ids are the commit order, so both order by id.
/// </summary>
public sealed class EventLogService(IDbContextFactory<AutoDeployDbContext> factory, CurrentAccess current)
{
    public const int DefaultTake = 100;
    public const int MaxTake = 1000;

    /// <summary>
    /// A page of the log, newest first: the events below <paramref name="before"/> (null: from the newest). Keyset paging on
    /// the id, so a page deep in a million events costs what the first does, and nothing is counted.
    /// </summary>
    public async Task<EventLogPage> GetPageAsync(EventLogFilter filter, long? before, int take, CancellationToken cancellationToken = default)
    {
        take = Math.Clamp(take, 1, MaxTake);
        var access = await current.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var events = Filter(db.Events.AsNoTracking().Visible(access, db), filter);
        if (before is { } below)
        {
            events = events.Where(e => e.Id < below);
        }
        // One row more than the page says whether there is a next one.
        var rows = await events.OrderByDescending(e => e.Id).Take(take + 1).ToListAsync(cancellationToken);
        var hasNext = rows.Count > take;
        if (hasNext)
        {
            rows.RemoveAt(take);
        }
        return new EventLogPage(rows, hasNext ? rows[^1].Id : null);
    }

    /// <summary>Events with an id above <paramref name="after"/>, oldest first: a reader's next page after its cursor.</summary>
    public async Task<IReadOnlyList<Event>> GetAfterAsync(
        long after, IReadOnlyCollection<string> categories, int take = DefaultTake, CancellationToken cancellationToken = default)
    {
        var access = await current.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var events = db.Events.AsNoTracking().Where(e => e.Id > after).Visible(access, db);
        if (categories.Count > 0)
        {
            events = events.Where(e => categories.Contains(e.Category));
        }
        return await events.OrderBy(e => e.Id).Take(Math.Clamp(take, 1, MaxTake)).ToListAsync(cancellationToken);
    }

    private static IQueryable<Event> Filter(IQueryable<Event> events, EventLogFilter filter)
    {
        if (filter.Categories.Count > 0)
        {
            var categories = filter.Categories.ToList();
            events = events.Where(e => categories.Contains(e.Category));
        }
        events = WhereDocument(events, filter.DocumentType, filter.DocumentId);
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim().ToLower();
            events = events.Where(e => e.Actor.ToLower().Contains(actor));
        }
        if (filter.From is { } from)
        {
            var start = StartOfDay(from);
            events = events.Where(e => e.OccurredAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = StartOfDay(to.AddDays(1));
            events = events.Where(e => e.OccurredAt < end);
        }
        return events;
    }

    /// <summary>A document with its id is matched on its typed column, which also holds the id on related events.</summary>
    private static IQueryable<Event> WhereDocument(IQueryable<Event> events, string? type, int? id) => (type, id) switch
    {
        (null, null) => events,
        (null, int any) => events.Where(e => e.DocumentId == any),
        (string only, null) => events.Where(e => e.DocumentType == only),
        (EventDocumentTypes.Machine, int machine) => events.Where(e => e.MachineId == machine),
        (EventDocumentTypes.Environment, int environment) => events.Where(e => e.EnvironmentId == environment),
        (EventDocumentTypes.MachinePolicy, int policy) => events.Where(e => e.PolicyId == policy),
        (EventDocumentTypes.Project, int project) => events.Where(e => e.ProjectId == project),
        (EventDocumentTypes.Release, int release) => events.Where(e => e.ReleaseId == release),
        (EventDocumentTypes.Deployment, int deployment) => events.Where(e => e.DeploymentId == deployment),
        (EventDocumentTypes.Trigger, int trigger) => events.Where(e => e.TriggerId == trigger),
        (string other, int document) => events.Where(e => e.DocumentType == other && e.DocumentId == document),
    };

    private static DateTimeOffset StartOfDay(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
