using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Services;

// Not AutoDeploy.Tests.Policies: a namespace of that name would hide AutoDeploy.Web.Identity.Policies
// (Policies.Administer, ...) from every test in AutoDeploy.Tests.*.
namespace AutoDeploy.Tests.MachinePolicies;

/// <summary>Builders for machine policy inputs, the service under test and machines that use a policy.</summary>
public static class PolicyTestData
{
    public static MachinePolicyInput Input(string name = "Elastic web") => new()
    {
        Name = name,
        Description = "Auto-scaling web servers",
        HealthCheckInterval = TimeSpan.FromMinutes(5),
        CleanupBehavior = CleanupBehavior.DeleteUnavailableMachines,
        DeleteUnavailableAfter = TimeSpan.FromMinutes(30),
    };

    public static MachinePolicyService PolicyService(SqliteDatabase database) => new(database, new MachinePolicyInputValidator());

    /// <summary>Seeds the default policy, as the app does at start.</summary>
    public static async Task<int> SeedDefaultPolicyAsync(this SqliteDatabase database)
    {
        await using var db = database.CreateDbContext();
        var policy = MachinePolicy.CreateDefault();
        db.MachinePolicies.Add(policy);
        await db.SaveChangesAsync();
        return policy.Id;
    }

    /// <summary>Creates a policy through the service and returns what it saved.</summary>
    public static async Task<MachinePolicyDetails> SaveNewAsync(this MachinePolicyService service, MachinePolicyInput input)
    {
        var saved = await service.CreateAsync(input);
        Assert.True(saved.Result.Succeeded, saved.Result.Message);
        return saved.Value!;
    }

    /// <summary>Registers machines (no environment, no role) that use the policy.</summary>
    public static async Task AddMachinesAsync(this SqliteDatabase database, int policyId, params string[] names)
    {
        await using var db = database.CreateDbContext();
        var policy = await db.MachinePolicies.FindAsync(policyId);
        foreach (var name in names)
        {
            db.Machines.Add(Machine.Register(name, [], [], policy!, database.Time.GetUtcNow()));
        }
        await db.SaveChangesAsync();
    }
}
