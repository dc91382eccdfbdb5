using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Machines;

/// <summary>Builders for machine tests: environments, policies and machines written straight through the DbContext.</summary>
public static class MachineTestData
{
    public static MachineService CreateMachineService(this SqliteDatabase database) =>
        new(database, new MachineInputValidator(), new TaskSignals(), database.Time);

    public static MachineRegistrationService CreateRegistrationService(this IDbContextFactory<AutoDeployDbContext> database, TimeProvider time) =>
        new(database, new RegistrationRequestValidator(), time);

    public static async Task<DeploymentEnvironment> AddEnvironmentAsync(this IDbContextFactory<AutoDeployDbContext> factory, string name, int sortOrder = 0)
    {
        await using var db = await factory.CreateDbContextAsync();
        var environment = DeploymentEnvironment.Create(name, null, sortOrder);
        db.Environments.Add(environment);
        await db.SaveChangesAsync();
        return environment;
    }

    public static async Task<MachinePolicy> AddPolicyAsync(this IDbContextFactory<AutoDeployDbContext> factory, string? name = null)
    {
        await using var db = await factory.CreateDbContextAsync();
        var policy = MachinePolicy.CreateDefault();
        if (name is not null)
        {
            policy.IsDefault = false;
            policy.Rename(name);
        }
        db.MachinePolicies.Add(policy);
        await db.SaveChangesAsync();
        return policy;
    }

    public static async Task<Machine> AddMachineAsync(
        this IDbContextFactory<AutoDeployDbContext> factory, string name, IReadOnlyList<DeploymentEnvironment> environments,
        MachinePolicy policy, string[]? roles = null, MachineHealthStatus health = MachineHealthStatus.Unknown, bool enabled = true)
    {
        await using var db = await factory.CreateDbContextAsync();
        db.AttachRange(environments);
        db.Attach(policy);
        var machine = Machine.Register(name, environments, roles ?? ["web"], policy, DateTimeOffset.UnixEpoch);
        machine.RecordHealth(health, null, DateTimeOffset.UnixEpoch);
        if (!enabled)
        {
            machine.Disable();
        }
        db.Machines.Add(machine);
        await db.SaveChangesAsync();
        return machine;
    }

    public static async Task<List<string>> MachineEventCategoriesAsync(this IDbContextFactory<AutoDeployDbContext> factory, int machineId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Events.Where(e => e.MachineId == machineId).OrderBy(e => e.Id).Select(e => e.Category).ToListAsync();
    }

    public static async Task<int> EventCountAsync(this IDbContextFactory<AutoDeployDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Events.CountAsync();
    }

    public static MachineInput InputFor(Machine machine) => new()
    {
        Name = machine.Name,
        EnvironmentIds = machine.Environments.Select(e => e.Id).ToList(),
        Roles = machine.Roles.ToList(),
        MachinePolicyId = machine.MachinePolicyId,
        IsEnabled = machine.IsEnabled,
    };

    public static RegistrationRequest Registration(string name, params string[] environments) =>
        new() { Name = name, Environments = environments.ToList(), Roles = ["web"], AgentVersion = "1.0.0" };

    public static string TooLongName => new('x', NameRules.MaxLength + 1);
}
