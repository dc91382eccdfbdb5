using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Bench;

/// <summary>A project whose release 1.0.0 succeeded in the environment, with an auto-deploy trigger.</summary>
public sealed record BenchProject(int ProjectId, int ReleaseId, int TriggerId, string Role);

/// <summary>A machine seeded straight into the database, with the token its agent uses.</summary>
public sealed record BenchMachine(int Id, string Name, string Token);

/// <summary>Seeds what a benchmark needs straight into the database, as the tests' DeploymentScenario does.</summary>
public sealed class BenchData(IDbContextFactory<AutoDeployDbContext> factory)
{
    private const int Batch = 500;

    public DeploymentEnvironment Environment { get; private set; } = null!;

    public async Task<BenchData> WithEnvironmentAsync(string name = "Production")
    {
        Environment = await AddEnvironmentAsync(name);
        return this;
    }

    public async Task<DeploymentEnvironment> AddEnvironmentAsync(string name)
    {
        await using var db = await factory.CreateDbContextAsync();
        var environment = DeploymentEnvironment.Create(name, null, 0);
        db.Environments.Add(environment);
        await db.SaveChangesAsync();
        return environment;
    }

    /// <summary>
    /// A project with one step for <paramref name="role"/>, release 1.0.0 deployed successfully to the environment and
    /// the <paramref name="others"/> (no machine had it yet), and a trigger on MachineAvailableForDeployment for machines of that role.
    /// </summary>
    public async Task<BenchProject> AddProjectAsync(string name, string role, params DeploymentEnvironment[] others)
    {
        const string script = "echo \"deployed $AUTODEPLOY_RELEASE\"";
        await using var db = await factory.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var project = Project.Create(name, null);
        project.Steps = [new DeploymentStep { Name = "Install", Roles = [role], Script = script, Timeout = TimeSpan.FromMinutes(5) }];
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var release = Release.Create(project, new SemanticVersion(1, 0, 0, null, null), null, now);
        db.Releases.Add(release);
        await db.SaveChangesAsync();
        var ids = others.Select(e => e.Id).Append(Environment.Id).ToList();
        foreach (var environment in await db.Environments.Where(e => ids.Contains(e.Id)).ToListAsync())
        {
            var deployment = Deployment.Queue(project, release, environment, [], "bench", null, now);
            deployment.Start(now);
            db.Deployments.Add(deployment);
            await db.SaveChangesAsync();
            deployment.Finish(DeploymentState.Success, null, now);
            await db.SaveChangesAsync();
        }
        var trigger = ProjectTrigger.Create(project.Id, $"{name} servers");
        trigger.Roles = [role];
        db.Triggers.Add(trigger);
        await db.SaveChangesAsync();
        return new BenchProject(project.Id, release.Id, trigger.Id, role);
    }

    /// <summary>A policy that deletes machines as soon as they are Unavailable.</summary>
    /// <summary>
    /// An enrolment token for the environment and role, with the default policy and no limit on its uses (as a fleet's
    /// launch template would carry one); its secret.
    /// </summary>
    public async Task<string> AddEnrolmentTokenAsync(string role)
    {
        await using var db = await factory.CreateDbContextAsync();
        var environment = await db.Environments.SingleAsync(e => e.Id == Environment.Id);
        var policy = await db.MachinePolicies.SingleAsync(p => p.IsDefault);
        var secret = EnrolmentTokenService.GenerateSecret();
        var now = DateTimeOffset.UtcNow;
        db.EnrolmentTokens.Add(EnrolmentToken.Create($"Bench fleet {EnrolmentTokenService.HashOf(secret)[..8]}", EnrolmentTokenService.HashOf(secret), secret[..10], [environment], [role],
            [policy], now.AddDays(1), maxUses: null, now));
        await db.SaveChangesAsync();
        return secret;
    }

    public async Task<int> AddCleanupPolicyAsync(TimeSpan deleteAfter)
    {
        await using var db = await factory.CreateDbContextAsync();
        var policy = new MachinePolicy
        {
            Description = "Benchmark: delete unavailable machines",
            CleanupBehavior = CleanupBehavior.DeleteUnavailableMachines,
            DeleteUnavailableAfter = deleteAfter,
        };
        policy.Rename("Bench clean-up");
        db.MachinePolicies.Add(policy);
        await db.SaveChangesAsync();
        return policy.Id;
    }

    /// <summary>
    /// Registered machines in the environment, or the one <paramref name="environment"/> picks by index (Healthy when asked),
    /// in batches; each with an agent token.
    /// </summary>
    public async Task<List<BenchMachine>> AddMachinesAsync(int count, Func<int, string> role, bool healthy, int? policyId = null,
        string prefix = "web", Func<int, DeploymentEnvironment>? environment = null)
    {
        var machines = new List<BenchMachine>(count);
        for (var start = 0; start < count; start += Batch)
        {
            await using var db = await factory.CreateDbContextAsync();
            var policy = policyId is { } id
                ? await db.MachinePolicies.SingleAsync(p => p.Id == id)
                : await db.MachinePolicies.SingleAsync(p => p.IsDefault);
            var environments = await db.Environments.ToDictionaryAsync(e => e.Id);
            var now = DateTimeOffset.UtcNow;
            var batch = new List<(Machine Machine, string Token)>();
            for (var i = start; i < Math.Min(count, start + Batch); i++)
            {
                var machine = Machine.Register($"{prefix}-{i + 1:D5}", [environments[(environment?.Invoke(i) ?? Environment).Id]], [role(i)], policy, now);
                var token = AgentToken.Generate();
                machine.AgentTokenHash = AgentToken.HashOf(token);
                if (healthy)
                {
                    machine.RecordHealth(MachineHealthStatus.Healthy, null, now);
                }
                batch.Add((machine, token));
            }
            db.Machines.AddRange(batch.Select(b => b.Machine));
            await db.SaveChangesAsync();
            machines.AddRange(batch.Select(b => new BenchMachine(b.Machine.Id, b.Machine.Name, b.Token)));
        }
        return machines;
    }
}
