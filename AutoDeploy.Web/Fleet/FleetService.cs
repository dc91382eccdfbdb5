using AutoDeploy.Domain.Fleet;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Fleet;

/// <summary>
/// Fleet drift for the screen and the REST API: every row of the filter decided once without text (<see cref="Drift.StateOf"/>),
/// counted per state, then filtered by state and paged, so the counts and the page come from one reading; only the rows
/// of the page are written out (<see cref="Drift.Judge(FleetSnapshot, PlannerMachine, PlannerProject, int?)"/>).
/// </summary>
public sealed class FleetService(IDbContextFactory<AutoDeployDbContext> factory, MachineService machines, CurrentAccess current)
{
    public async Task<FleetList> QueryAsync(FleetQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var (fleet, fleetMachines) = await FleetLoader.LoadAsync(db, query, cancellationToken);
        var access = await current.GetAsync(cancellationToken);
        var projects = fleet.State.Projects.Where(p => (query.ProjectId is null || p.Id == query.ProjectId) && access.CanViewProject(p.Id))
            .OrderBy(p => p.Id).ToArray();
        // A scoped viewer's fleet: the machines of the environments they see (a row's project and environment are judged together
        // only by the lists of deployments; here the two limits apply each on its own).
        if (AccessFilters.EnvironmentIds(access) is { } visible)
        {
            fleetMachines = fleetMachines.Where(m => m.EnvironmentIds.Any(visible.Contains)).ToList();
        }
        // Row i is machine i / projects, project i % projects: the list's order (machine id, then project id).
        var states = new DriftState[fleetMachines.Count * projects.Length];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = Drift.StateOf(fleet, fleetMachines[i / projects.Length], projects[i % projects.Length], query.EnvironmentId);
        }
        // Decisions and retries change only rows that are behind or blocked: read them for those machines alone.
        var undecided = Enumerable.Range(0, states.Length).Where(i => Drift.DependsOnDecisions(states[i]))
            .Select(i => fleetMachines[i / projects.Length].Id).Distinct().ToList();
        if (undecided.Count > 0)
        {
            var (decisions, retries) = await FleetLoader.LoadDecisionsAsync(db, undecided, cancellationToken);
            fleet = fleet.With(decisions, retries);
            for (var i = 0; i < states.Length; i++)
            {
                if (Drift.DependsOnDecisions(states[i]))
                {
                    states[i] = Drift.StateOf(fleet, fleetMachines[i / projects.Length], projects[i % projects.Length], query.EnvironmentId);
                }
            }
        }
        var counts = DriftCounts.Of(states);
        var take = Math.Clamp(query.Take, 1, FleetQuery.MaxTake);
        var page = Enumerable.Range(0, states.Length)
            .Where(i => (query.State is not { } state || states[i] == state)
                        && (query.After is not { } after || after.Precedes(fleetMachines[i / projects.Length].Id, projects[i % projects.Length].Id)))
            .Take(take + 1)
            .Select(i => Drift.Judge(fleet, fleetMachines[i / projects.Length], projects[i % projects.Length], query.EnvironmentId))
            .ToList();
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
