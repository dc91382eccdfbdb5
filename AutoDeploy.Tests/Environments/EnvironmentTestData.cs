using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Environments;

/// <summary>Arranges environments and the machines in them straight through the context.</summary>
public static class EnvironmentTestData
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static async Task<DeploymentEnvironment> AddEnvironmentAsync(
        this IDbContextFactory<AutoDeployDbContext> factory, string name, string? description = null)
    {
        await using var db = await factory.CreateDbContextAsync();
        var last = await db.Environments.MaxAsync(e => (int?)e.SortOrder);
        var environment = DeploymentEnvironment.Create(name, description, (last ?? -1) + 1);
        db.Environments.Add(environment);
        await db.SaveChangesAsync();
        return environment;
    }

    /// <summary>
    /// Registers <paramref name="count"/> machines into the given environments, with a health status and enabled or not,
    /// seen at <paramref name="seenAt"/> (default: the fixed test clock's now; a running app's health checks judge a
    /// machine by its real last-seen time, so tests against one pass <see cref="DateTimeOffset.UtcNow"/>).
    /// </summary>
    public static async Task AddMachinesAsync(
        this IDbContextFactory<AutoDeployDbContext> factory, int[] environmentIds, MachineHealthStatus health,
        int count = 1, bool enabled = true, DateTimeOffset? seenAt = null)
    {
        await using var db = await factory.CreateDbContextAsync();
        var policy = await db.MachinePolicies.FirstOrDefaultAsync(p => p.IsDefault) ?? db.MachinePolicies.Add(MachinePolicy.CreateDefault()).Entity;
        var environments = await db.Environments.Where(e => environmentIds.Contains(e.Id)).ToListAsync();
        for (var i = 0; i < count; i++)
        {
            var machine = Machine.Register($"machine-{Guid.NewGuid():N}", environments, ["web"], policy, seenAt ?? Now);
            machine.RecordHealth(health, null, seenAt ?? Now);
            if (!enabled)
            {
                machine.Disable();
            }
            db.Machines.Add(machine);
        }
        await db.SaveChangesAsync();
    }

    public static Task AddMachinesAsync(
        this IDbContextFactory<AutoDeployDbContext> factory, int environmentId, MachineHealthStatus health,
        int count = 1, bool enabled = true, DateTimeOffset? seenAt = null) =>
        factory.AddMachinesAsync([environmentId], health, count, enabled, seenAt);
}
