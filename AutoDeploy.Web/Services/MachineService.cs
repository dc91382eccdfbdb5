using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>Deployment targets: the list, one machine with its recent events, and changes.</summary>
public sealed class MachineService(
    IDbContextFactory<AutoDeployDbContext> factory,
    IValidator<MachineInput> inputValidator,
    TaskSignals signals,
    TimeProvider time)
{
    public const int RecentEventCount = 20;

    public async Task<MachineList> QueryAsync(MachineQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var machines = db.Machines.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = Document.Normalize(query.Search);
            machines = machines.Where(m => m.NormalizedName.Contains(search));
        }
        if (query.EnvironmentId is { } environmentId)
        {
            machines = machines.Where(m => m.Environments.Any(e => e.Id == environmentId));
        }
        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            var role = query.Role.Trim().ToLowerInvariant();
            machines = machines.Where(m => m.Roles.Contains(role));
        }
        if (query.Health is { } health)
        {
            machines = machines.Where(m => m.HealthStatus == health);
        }
        if (query.IsEnabled is { } enabled)
        {
            machines = machines.Where(m => m.IsEnabled == enabled);
        }
        var total = await machines.CountAsync(cancellationToken);
        var items = await machines
            .OrderBy(m => m.NormalizedName).ThenBy(m => m.Id)
            .Skip(Math.Max(0, query.Skip))
            .Take(Math.Clamp(query.Take, 1, MachineQuery.MaxTake))
            .Select(m => new MachineSummary(m.Id, m.Name,
                m.Environments.OrderBy(e => e.SortOrder).ThenBy(e => e.Name).Select(e => new NamedRef(e.Id, e.Name)).ToList(),
                m.Roles, m.HealthStatus, m.IsEnabled))
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return new MachineList(items, total);
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Machines.AnyAsync(cancellationToken);
    }

    public async Task<MachineDetails?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var machine = await db.Machines.AsNoTracking().AsSplitQuery()
            .Include(m => m.Environments).Include(m => m.MachinePolicy)
            .SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (machine is null)
        {
            return null;
        }
        var events = await db.Events.AsNoTracking()
            .Where(e => e.MachineId == id)
            .OrderByDescending(e => e.Id)
            .Take(RecentEventCount)
            .Select(e => new MachineEvent(e.Id, e.OccurredAt, e.Category, e.Message, e.Actor))
            .ToListAsync(cancellationToken);
        return new MachineDetails(
            machine.Id, machine.Name, machine.Version,
            machine.Environments.OrderBy(e => e.SortOrder).ThenBy(e => e.Name).Select(e => new NamedRef(e.Id, e.Name)).ToList(),
            machine.Roles, new NamedRef(machine.MachinePolicyId, machine.MachinePolicy?.Name ?? ""),
            machine.IsEnabled, machine.HealthStatus, machine.HealthSummary, machine.HealthChangedAt,
            machine.RegisteredAt, machine.LastSeenAt, machine.AgentVersion, events, await AgentUpdateAsync(db, machine, cancellationToken));
    }

    /// <summary>Where the machine's agent stands against the server's version, as its policy treats it (null: up to date).</summary>
    private static async Task<string?> AgentUpdateAsync(AutoDeployDbContext db, Machine machine, CancellationToken cancellationToken)
    {
        var served = AgentProtocol.Version;
        if (machine.AgentVersion is null || !AgentProtocol.IsOlder(machine.AgentVersion, served))
        {
            return null;
        }
        switch (machine.MachinePolicy?.AgentVersionCheck)
        {
            case AgentVersionCheck.Ignore:
                return $"Older than the server's {served}; the machine policy ignores it.";
            case AgentVersionCheck.Warn:
                return $"Older than the server's {served}; the machine policy warns (choose Automatically to update it).";
        }
        // The newest failure since the agent last changed version, if any: the agent does not retry it until it restarts.
        var failure = await db.Events.AsNoTracking()
            .Where(e => e.MachineId == machine.Id && (e.Category == EventCategories.AgentUpdateFailed || e.Category == EventCategories.AgentUpdated))
            .OrderByDescending(e => e.Id).Select(e => new { e.Category, e.Message }).FirstOrDefaultAsync(cancellationToken);
        return failure?.Category == EventCategories.AgentUpdateFailed
            ? $"{failure.Message}. It runs on; it tries again when it restarts."
            : $"Updating to {served} between jobs (the machine policy updates agents automatically).";
    }

    /// <summary>The environments, policies and roles in use, for the form's choices and the list's filters.</summary>
    public async Task<MachineOptions> GetOptionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var environments = await db.Environments.AsNoTracking().OrderBy(e => e.SortOrder).ThenBy(e => e.Name)
            .Select(e => new NamedRef(e.Id, e.Name)).ToListAsync(cancellationToken);
        var policies = await db.MachinePolicies.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new NamedRef(p.Id, p.Name)).ToListAsync(cancellationToken);
        // SQLite cannot flatten a primitive collection in SQL (no APPLY), so the role lists are merged here.
        var roleLists = await db.Machines.AsNoTracking().Select(m => m.Roles).ToListAsync(cancellationToken);
        var roles = roleLists.SelectMany(r => r).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new MachineOptions(environments, policies, roles);
    }

    /// <summary>An environment given by id or by name (case-insensitive); null if there is none.</summary>
    public async Task<int?> FindEnvironmentIdAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var normalized = Document.Normalize(idOrName);
        var byName = await db.Environments.Where(e => e.NormalizedName == normalized).Select(e => (int?)e.Id)
            .SingleOrDefaultAsync(cancellationToken);
        if (byName is not null || !int.TryParse(idOrName, out var id))
        {
            return byName;
        }
        return await db.Environments.AnyAsync(e => e.Id == id, cancellationToken) ? id : null;
    }

    /// <summary>Changes name, environments, roles, policy (null keeps it) and enabled, raising the machine's events.</summary>
    public async Task<SaveResult> UpdateAsync(int id, MachineInput input, int? version = null, CancellationToken cancellationToken = default)
    {
        input.Name ??= "";
        input.EnvironmentIds ??= [];
        input.Roles = (input.Roles ?? []).Select(r => r ?? "").ToList();
        var validation = await inputValidator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var machine = await db.Machines.AsSplitQuery().Include(m => m.Environments).Include(m => m.MachinePolicy)
            .SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (machine is null)
        {
            return NotFound(id);
        }
        if (version is not null)
        {
            db.Entry(machine).Property(m => m.Version).OriginalValue = version.Value;
        }
        var ids = input.EnvironmentIds.Distinct().ToList();
        var environments = await db.Environments.Where(e => ids.Contains(e.Id)).ToListAsync(cancellationToken);
        var policyId = input.MachinePolicyId ?? machine.MachinePolicyId;
        var policy = await db.MachinePolicies.SingleOrDefaultAsync(p => p.Id == policyId, cancellationToken);
        var unknown = new List<ValidationFailure>();
        var missingIds = ids.Except(environments.Select(e => e.Id)).ToList();
        if (missingIds.Count > 0)
        {
            unknown.Add(new(nameof(MachineInput.EnvironmentIds), $"Unknown environment ids: {string.Join(", ", missingIds)}."));
        }
        if (policy is null)
        {
            unknown.Add(new(nameof(MachineInput.MachinePolicyId), $"Unknown machine policy id: {policyId}."));
        }
        if (unknown.Count > 0)
        {
            return SaveResult.Invalid(new ValidationResult(unknown));
        }
        if (await MachineSaves.Names.TakenAsync(db.Machines, input.Name, id, cancellationToken))
        {
            return MachineSaves.Names.Conflict(input.Name);
        }

        machine.Rename(input.Name);
        machine.ChangeDeploymentProperties(environments, input.Roles, policy!);
        SetEnabled(machine, input.IsEnabled);
        return await MachineSaves.SaveAsync(db, input.Name, id, cancellationToken);
    }

    public async Task<SaveResult> SetEnabledAsync(int id, bool enabled, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var machine = await db.Machines.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (machine is null)
        {
            return NotFound(id);
        }
        SetEnabled(machine, enabled);
        return await MachineSaves.SaveAsync(db, machine.Name, id, cancellationToken);
    }

    /// <summary>
    /// Deletes the machine and, as when its agent deregisters, cancels its open jobs so that no deployment waits
    /// for it; the one save records MachineDeleted.
    /// </summary>
    public async Task<SaveResult> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var machine = await db.Machines.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (machine is null)
        {
            return NotFound(id);
        }
        var deployments = await MachineRemoval.StageAsync(db, machine, $"by {ActorContext.Current}", time.GetUtcNow(), cancellationToken);
        var result = await MachineSaves.SaveAsync(db, machine.Name, id, cancellationToken);
        if (result.Succeeded)
        {
            MachineRemoval.Wake(signals, deployments);
        }
        return result;
    }

    private static void SetEnabled(Machine machine, bool enabled)
    {
        if (enabled)
        {
            machine.Enable();
        }
        else
        {
            machine.Disable();
        }
    }

    private static SaveResult NotFound(int id) => SaveResult.NotFound($"Machine {id} was not found.");
}
