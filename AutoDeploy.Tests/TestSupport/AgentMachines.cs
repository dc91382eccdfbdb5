using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>Machines registered straight in the database with an agent token, as the register call would leave them.</summary>
internal static class AgentMachines
{
    /// <summary>
    /// A machine in the given environments with the given (or default) policy. Health stays Unknown unless
    /// <paramref name="healthy"/>: an agent's first poll then gets it checked at once.
    /// </summary>
    public static async Task<(int Id, string Token)> AddAsync(this IDbContextFactory<AutoDeployDbContext> factory, string name,
        IReadOnlyList<int> environmentIds, IReadOnlyList<string> roles, int? policyId = null, bool healthy = false)
    {
        await using var db = await factory.CreateDbContextAsync();
        var policy = policyId is { } id ? await db.MachinePolicies.SingleAsync(p => p.Id == id) : await db.MachinePolicies.SingleAsync(p => p.IsDefault);
        var environments = await db.Environments.Where(e => environmentIds.Contains(e.Id)).ToListAsync();
        var machine = Machine.Register(name, environments, roles, policy, DateTimeOffset.UtcNow);
        var token = AgentToken.Generate();
        machine.AgentTokenHash = AgentToken.HashOf(token);
        if (healthy)
        {
            machine.RecordHealth(MachineHealthStatus.Healthy, null, DateTimeOffset.UtcNow);
        }
        db.Machines.Add(machine);
        await db.SaveChangesAsync();
        return (machine.Id, token);
    }
}
