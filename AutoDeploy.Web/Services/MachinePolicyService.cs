using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Web.Data;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>Machine policies for the policy screens and the REST API: list, read, create, change, delete, make default.</summary>
public sealed class MachinePolicyService(IDbContextFactory<AutoDeployDbContext> factory, IValidator<MachinePolicyInput> validator)
{
    private static readonly DocumentSaves<MachinePolicy> Saves =
        new("machine policy", name => $"A machine policy named '{name}' already exists.");

    /// <summary>How many machine names a refused delete lists before "and N more".</summary>
    public const int MaxMachinesNamed = 10;

    /// <summary>Every policy, the default first and then by name, with the number of machines using each.</summary>
    public async Task<IReadOnlyList<MachinePolicySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var policies = await db.MachinePolicies.AsNoTracking()
            .OrderByDescending(p => p.IsDefault).ThenBy(p => p.NormalizedName).ToListAsync(cancellationToken);
        var counts = await db.Machines.GroupBy(m => m.MachinePolicyId)
            .Select(g => new { PolicyId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.PolicyId, g => g.Count, cancellationToken);
        return policies.Select(p => new MachinePolicySummary(p.Id, p.Name, p.Description, p.IsDefault, p.HealthCheckInterval,
            p.HealthCheckType, p.ConnectivityBehavior, p.CleanupBehavior, p.DeleteUnavailableAfter, p.AgentVersionCheck,
            counts.GetValueOrDefault(p.Id))).ToList();
    }

    /// <summary>One policy with the machines that use it, by name.</summary>
    public async Task<MachinePolicyDetails?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var policy = await db.MachinePolicies.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return policy is null ? null : await DetailsAsync(db, policy, cancellationToken);
    }

    public async Task<SaveResult<MachinePolicyDetails>> CreateAsync(MachinePolicyInput input, CancellationToken cancellationToken = default)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await Saves.TakenAsync(db.MachinePolicies, input.Name, null, cancellationToken))
        {
            return Saves.Conflict(input.Name);
        }
        var policy = new MachinePolicy();
        input.ApplyTo(policy);
        db.MachinePolicies.Add(policy);
        return await SaveAsync(db, policy, input.Name, null, cancellationToken);
    }

    /// <summary>
    /// Replaces the policy with <paramref name="input"/>. <paramref name="version"/> is the version the user loaded;
    /// if someone saved since, nothing is written and the result is Stale.
    /// </summary>
    public async Task<SaveResult<MachinePolicyDetails>> UpdateAsync(
        int id, MachinePolicyInput input, int? version, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var policy = await db.MachinePolicies.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null)
        {
            return NotFound(id);
        }
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        if (Saves.IsStale(db, policy, version))
        {
            return SaveResult.Stale(Saves.Label);
        }
        if (await Saves.TakenAsync(db.MachinePolicies, input.Name, id, cancellationToken))
        {
            return Saves.Conflict(input.Name);
        }
        input.ApplyTo(policy);
        return await SaveAsync(db, policy, input.Name, id, cancellationToken);
    }

    /// <summary>Deletes a policy; refused for the default policy and for a policy machines still use.</summary>
    public async Task<SaveResult> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var policy = await db.MachinePolicies.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null)
        {
            return NotFound(id);
        }
        if (policy.IsDefault)
        {
            return SaveResult.Conflict("The default machine policy cannot be deleted.");
        }
        if (await InUseAsync(db, policy, cancellationToken) is { } inUse)
        {
            return inUse;
        }
        db.MachinePolicies.Remove(policy);
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
            // A machine was given the policy between the check and the delete: the foreign key refused it.
            db.ChangeTracker.Clear();
            return await InUseAsync(db, policy, cancellationToken) ?? throw new InvalidOperationException($"Could not delete machine policy {id}.");
        }
        return SaveResult.Saved;
    }

    /// <summary>Makes the policy the default and the previous default an ordinary policy, in one save.</summary>
    public async Task<SaveResult<MachinePolicyDetails>> MakeDefaultAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var affected = await db.MachinePolicies.Where(p => p.Id == id || p.IsDefault).ToListAsync(cancellationToken);
        var policy = affected.SingleOrDefault(p => p.Id == id);
        if (policy is null)
        {
            return NotFound(id);
        }
        foreach (var other in affected)
        {
            other.IsDefault = other.Id == id;
        }
        // Each previous default's version is checked, so two concurrent changes of the default cannot both win.
        var saved = await Saves.SaveAsync(db, cancellationToken);
        return saved.Succeeded ? new SaveResult<MachinePolicyDetails>(saved, await DetailsAsync(db, policy, cancellationToken)) : saved;
    }

    private static async Task<SaveResult?> InUseAsync(AutoDeployDbContext db, MachinePolicy policy, CancellationToken cancellationToken)
    {
        var names = await db.Machines.Where(m => m.MachinePolicyId == policy.Id)
            .OrderBy(m => m.NormalizedName).Select(m => m.Name).ToListAsync(cancellationToken);
        if (names.Count == 0)
        {
            return null;
        }
        return SaveResult.Conflict($"Policy '{policy.Name}' is used by {TextRules.List(names, MaxMachinesNamed)}; move them to another policy first.");
    }

    private static async Task<SaveResult<MachinePolicyDetails>> SaveAsync(
        AutoDeployDbContext db, MachinePolicy policy, string name, int? exceptId, CancellationToken cancellationToken)
    {
        var saved = await Saves.SaveAsync(db, db.MachinePolicies, name, exceptId, cancellationToken);
        return saved.Succeeded ? new SaveResult<MachinePolicyDetails>(saved, await DetailsAsync(db, policy, cancellationToken)) : saved;
    }

    private static async Task<MachinePolicyDetails> DetailsAsync(AutoDeployDbContext db, MachinePolicy policy, CancellationToken cancellationToken)
    {
        var machines = await db.Machines.AsNoTracking().Where(m => m.MachinePolicyId == policy.Id)
            .OrderBy(m => m.NormalizedName).Select(m => new PolicyMachine(m.Id, m.Name)).ToListAsync(cancellationToken);
        return MachinePolicyDetails.From(policy, machines);
    }

    private static SaveResult NotFound(int id) => SaveResult.NotFound($"Machine policy {id} does not exist.");
}
