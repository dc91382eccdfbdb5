using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Feed;

/// <summary>Reads the Event table for the feed: new events after a cursor, and older history for a filter.</summary>
public sealed class ActivityEventReader(IDbContextFactory<AutoDeployDbContext> factory)
{
    public const int MaxTake = 500;

    /// <summary>The id of the newest event, 0 when there is none: where a feed starts.</summary>
    public async Task<long> LastIdAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
    }

    /// <summary>Events with an id above <paramref name="after"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ActivityEvent>> AfterAsync(long after, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var events = await db.Events.AsNoTracking().Where(e => e.Id > after)
            .OrderBy(e => e.Id).Take(Math.Clamp(take, 1, MaxTake)).ToListAsync(cancellationToken);
        return await ToActivityAsync(db, events, cancellationToken);
    }

    /// <summary>The events the access sees matching the filter with an id below <paramref name="before"/> (all when null), newest first.</summary>
    public async Task<IReadOnlyList<ActivityEvent>> BeforeAsync(
        ActivityFilter filter, long? before, int take, Access access, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var events = db.Events.AsNoTracking().Visible(access, db);
        if (before is { } id)
        {
            events = events.Where(e => e.Id < id);
        }
        events = await WhereAsync(db, events, filter, cancellationToken);
        var page = await events.OrderByDescending(e => e.Id).Take(Math.Clamp(take, 1, MaxTake)).ToListAsync(cancellationToken);
        return await ToActivityAsync(db, page, cancellationToken);
    }

    private static async Task<IQueryable<Event>> WhereAsync(
        AutoDeployDbContext db, IQueryable<Event> events, ActivityFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Group is { } group)
        {
            var categories = ActivityGroups.CategoriesOf(group);
            events = events.Where(e => categories.Contains(e.Category));
        }
        if (filter.Category is { } category)
        {
            events = events.Where(e => e.Category == category);
        }
        if (filter.ProjectId is { } project)
        {
            events = events.Where(e => e.ProjectId == project);
        }
        if (filter.MachineId is { } machine)
        {
            events = events.Where(e => e.MachineId == machine);
        }
        if (filter.EnvironmentId is { } environment)
        {
            // As ActivityEvent.EnvironmentIds has it: the event's own environment, else its machine's environments.
            var machines = await db.Machines.Where(m => m.Environments.Any(x => x.Id == environment))
                .Select(m => m.Id).ToListAsync(cancellationToken);
            events = events.Where(e => e.EnvironmentId == environment
                || (e.EnvironmentId == null && e.MachineId != null && machines.Contains(e.MachineId.Value)));
        }
        return events;
    }

    private static async Task<IReadOnlyList<ActivityEvent>> ToActivityAsync(
        AutoDeployDbContext db, List<Event> events, CancellationToken cancellationToken)
    {
        var machineIds = events.Where(e => e.EnvironmentId is null && e.MachineId is not null)
            .Select(e => e.MachineId!.Value).Distinct().ToList();
        var memberships = machineIds.Count == 0
            ? []
            : await db.Machines.AsNoTracking().Where(m => machineIds.Contains(m.Id))
                .SelectMany(m => m.Environments, (m, environment) => new { MachineId = m.Id, EnvironmentId = environment.Id })
                .ToListAsync(cancellationToken);
        var environmentsOf = memberships.ToLookup(x => x.MachineId, x => x.EnvironmentId);
        return events.Select(e => ActivityEvent.From(e, e switch
        {
            { EnvironmentId: { } environment } => [environment],
            { MachineId: { } machine } => environmentsOf[machine].Order().ToList(),
            _ => [],
        })).ToList();
    }
}
