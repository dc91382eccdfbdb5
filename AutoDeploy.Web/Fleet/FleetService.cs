using AutoDeploy.Domain.Fleet;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Fleet;

/// <summary>
/// Fleet drift for the screen and the REST API: every row of the filter judged once (<see cref="Drift.Judge(FleetSnapshot, IEnumerable{PlannerMachine}, int?, int?)"/>),
/// counted per state, then filtered by state and paged, so the counts and the page come from one reading.
/// </summary>
public sealed class FleetService(IDbContextFactory<AutoDeployDbContext> factory, MachineService machines)
{
    public async Task<FleetList> QueryAsync(FleetQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var (fleet, fleetMachines) = await FleetLoader.LoadAsync(db, query, cancellationToken);
        var rows = Drift.Judge(fleet, fleetMachines, query.ProjectId, query.EnvironmentId).ToList();
        // Decisions and retries change only rows that are behind or blocked: read them for those machines alone.
        var undecided = rows.Where(r => Drift.DependsOnDecisions(r.State)).Select(r => r.MachineId).Distinct().ToList();
        if (undecided.Count > 0)
        {
            var (decisions, retries) = await FleetLoader.LoadDecisionsAsync(db, undecided, cancellationToken);
            if (decisions.Count + retries.Count > 0)
            {
                fleet = fleet.With(decisions, retries);
                var byId = fleetMachines.ToDictionary(m => m.Id);
                var projects = fleet.State.Projects.ToDictionary(p => p.Id);
                for (var i = 0; i < rows.Count; i++)
                {
                    if (Drift.DependsOnDecisions(rows[i].State))
                    {
                        rows[i] = Drift.Judge(fleet, byId[rows[i].MachineId], projects[rows[i].ProjectId], query.EnvironmentId);
                    }
                }
            }
        }
        var counts = DriftCounts.Of(rows);
        IEnumerable<DriftRow> matching = query.State is { } state ? rows.Where(r => r.State == state) : rows;
        matching = query.After is { } after ? matching.Where(after.Precedes) : matching;
        var take = Math.Clamp(query.Take, 1, FleetQuery.MaxTake);
        var page = matching.Take(take + 1).ToList();
        var next = page.Count > take ? page[take - 1].Cursor : null;
        return new FleetList(counts, query.State is { } s ? counts.Of(s) : counts.Total, page.Take(take).ToList(), next);
    }

    /// <summary>What the query names that does not exist, by parameter: an unknown environment or project is a bad filter.</summary>
    public async Task<Dictionary<string, string[]>> RefusalsAsync(int? environmentId, int? projectId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var refusals = new Dictionary<string, string[]>();
        if (environmentId is { } environment && !await db.Environments.AnyAsync(e => e.Id == environment, cancellationToken))
        {
            refusals["environmentId"] = [$"Environment {environment} does not exist."];
        }
        if (projectId is { } project && !await db.Projects.AnyAsync(p => p.Id == project, cancellationToken))
        {
            refusals["projectId"] = [$"Project {project} does not exist."];
        }
        return refusals;
    }

    /// <summary>The environments, roles in use and projects, for the screen's filters.</summary>
    public async Task<FleetFilters> GetFiltersAsync(CancellationToken cancellationToken = default)
    {
        var options = await machines.GetOptionsAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.NormalizedName)
            .Select(p => new NamedRef(p.Id, p.Name)).ToListAsync(cancellationToken);
        return new FleetFilters(options.Environments, options.Roles, projects);
    }
}
