using AutoDeploy.Domain.Environments;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>Environments for the Environments screen and the REST API: list, create, change, reorder, delete.</summary>
public sealed class EnvironmentService(IDbContextFactory<AutoDeployDbContext> factory, IValidator<EnvironmentInput> validator,
    CurrentAccess current)
{
    private static readonly DocumentSaves<DeploymentEnvironment> Saves =
        new("environment", name => $"An environment named '{name}' already exists.");

    /// <summary>Every environment in display order, with its deployment targets counted by health.</summary>
    public async Task<IReadOnlyList<EnvironmentSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var environments = await db.Environments.AsNoTracking()
            .OrderBy(e => e.SortOrder).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var counts = await CountMachinesAsync(db, null, cancellationToken);
        var visible = AccessFilters.EnvironmentIds(await current.GetAsync(cancellationToken));
        return environments.Where(e => visible is null || visible.Contains(e.Id)).Select(e => EnvironmentSummary.From(e, counts.GetValueOrDefault(e.Id, MachineCounts.None))).ToList();
    }

    public async Task<EnvironmentSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var environment = await db.Environments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (environment is null || !(await current.GetAsync(cancellationToken)).CanViewEnvironment(id))
        {
            return null;
        }
        var counts = await CountMachinesAsync(db, id, cancellationToken);
        return EnvironmentSummary.From(environment, counts.GetValueOrDefault(id, MachineCounts.None));
    }

    /// <summary>Creates an environment at the end of the order.</summary>
    public async Task<SaveResult<EnvironmentSummary>> CreateAsync(EnvironmentInput input, CancellationToken cancellationToken = default)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await Saves.TakenAsync(db.Environments, input.Name, null, cancellationToken))
        {
            return Saves.Conflict(input.Name);
        }
        var last = await db.Environments.MaxAsync(e => (int?)e.SortOrder, cancellationToken);
        var environment = DeploymentEnvironment.Create(input.Name, input.Description, (last ?? -1) + 1);
        db.Environments.Add(environment);
        var saved = await Saves.SaveAsync(db, db.Environments, input.Name, null, cancellationToken);
        return saved.Succeeded ? new SaveResult<EnvironmentSummary>(saved, EnvironmentSummary.From(environment, MachineCounts.None)) : saved;
    }

    /// <summary>
    /// Renames and describes an environment. <paramref name="version"/> is the version the user loaded;
    /// if someone saved since, nothing is written and the result is Stale.
    /// </summary>
    public async Task<SaveResult<EnvironmentSummary>> UpdateAsync(
        int id, EnvironmentInput input, int? version, CancellationToken cancellationToken = default)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var environment = await db.Environments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (environment is null)
        {
            return NotFound(id);
        }
        if (Saves.IsStale(db, environment, version))
        {
            return SaveResult.Stale(Saves.Label);
        }
        if (await Saves.TakenAsync(db.Environments, input.Name, id, cancellationToken))
        {
            return Saves.Conflict(input.Name);
        }
        environment.Rename(input.Name);
        environment.Describe(input.Description);
        if (await Saves.SaveAsync(db, db.Environments, input.Name, id, cancellationToken) is { Succeeded: false } refused)
        {
            return refused;
        }
        var counts = await CountMachinesAsync(db, id, cancellationToken);
        return new SaveResult<EnvironmentSummary>(SaveResult.Saved, EnvironmentSummary.From(environment, counts.GetValueOrDefault(id, MachineCounts.None)));
    }

    /// <summary>Moves an environment one place up (earlier) or down (later) in the order, in one save.</summary>
    public async Task<SaveResult> MoveAsync(int id, MoveDirection direction, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var ordered = await db.Environments.OrderBy(e => e.SortOrder).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var index = ordered.FindIndex(e => e.Id == id);
        if (index < 0)
        {
            return NotFound(id);
        }
        var target = direction == MoveDirection.Up ? index - 1 : index + 1;
        if (target < 0 || target >= ordered.Count)
        {
            return SaveResult.Saved;
        }
        (ordered[index], ordered[target]) = (ordered[target], ordered[index]);
        // Renumbering all of them also closes gaps and ties left by deletes or concurrent creates.
        for (var position = 0; position < ordered.Count; position++)
        {
            ordered[position].SortOrder = position;
        }
        return await Saves.SaveAsync(db, cancellationToken);
    }

    /// <summary>Deletes an environment; refused while deployment targets are in it.</summary>
    public async Task<SaveResult> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var environment = await db.Environments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (environment is null)
        {
            return NotFound(id);
        }
        if (await MachinesInAsync(db, id, cancellationToken) is > 0 and var machines)
        {
            return InUse(environment.Name, machines);
        }
        db.Environments.Remove(environment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveResult.Stale(Saves.Label);
        }
        catch (DbUpdateException)
        {
            // A machine was registered into it between the check and the delete: the foreign key refused.
            var added = await MachinesInAsync(db, id, cancellationToken);
            if (added == 0)
            {
                throw;
            }
            return InUse(environment.Name, added);
        }
        return SaveResult.Saved;
    }

    /// <summary>Machine counts per environment, counted by the database (one group per environment, state and health).</summary>
    private static async Task<Dictionary<int, MachineCounts>> CountMachinesAsync(
        AutoDeployDbContext db, int? environmentId, CancellationToken cancellationToken)
    {
        var memberships = db.Machines.SelectMany(m => m.Environments,
            (m, e) => new { EnvironmentId = e.Id, m.IsEnabled, m.HealthStatus });
        if (environmentId is { } id)
        {
            memberships = memberships.Where(x => x.EnvironmentId == id);
        }
        var groups = await memberships
            .GroupBy(x => new { x.EnvironmentId, x.IsEnabled, x.HealthStatus })
            .Select(g => new { g.Key.EnvironmentId, g.Key.IsEnabled, g.Key.HealthStatus, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return groups.GroupBy(g => g.EnvironmentId).ToDictionary(
            g => g.Key,
            g => g.Aggregate(MachineCounts.None, (counts, row) => counts.Add(row.IsEnabled, row.HealthStatus, row.Count)));
    }

    private static Task<int> MachinesInAsync(AutoDeployDbContext db, int id, CancellationToken cancellationToken) =>
        db.Machines.CountAsync(m => m.Environments.Any(e => e.Id == id), cancellationToken);

    private static SaveResult InUse(string name, int machines) => SaveResult.Conflict(
        $"Environment '{name}' has {machines} deployment {(machines == 1 ? "target" : "targets")}; move or delete them first.");

    private static SaveResult NotFound(int id) => SaveResult.NotFound($"Environment {id} does not exist.");
}
