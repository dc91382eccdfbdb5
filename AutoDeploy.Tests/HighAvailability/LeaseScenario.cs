using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>Two nodes, "node-a" and "node-b", on one database with one fake clock; queued deployments to claim.</summary>
internal sealed class LeaseScenario(IDbContextFactory<AutoDeployDbContext> database, FakeTimeProvider time)
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public DeploymentScenario Data { get; } = new(database);
    public Node A { get; } = new("node-a", database, time);
    public Node B { get; } = new("node-b", database, time);

    public async Task<LeaseScenario> StartAsync()
    {
        await Data.WithEnvironmentAsync();
        await Data.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        return this;
    }

    public async Task<int> QueueAsync()
    {
        await using var db = await database.CreateDbContextAsync();
        db.AttachRange(Data.Project, Data.Release, Data.Environment);
        var deployment = Deployment.Queue(Data.Project, Data.Release, Data.Environment, [], "test", null, time.GetUtcNow());
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        return deployment.Id;
    }

    /// <summary>An executing deployment as a server from before leases left it: no node, no lease.</summary>
    public async Task<int> AddUnleasedExecutingAsync()
    {
        await using var db = await database.CreateDbContextAsync();
        db.AttachRange(Data.Project, Data.Release, Data.Environment);
        var deployment = Deployment.Queue(Data.Project, Data.Release, Data.Environment, [], "test", null, time.GetUtcNow());
        deployment.Start(time.GetUtcNow());
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        return deployment.Id;
    }

    public async Task<Deployment> DeploymentAsync(int id)
    {
        await using var db = await database.CreateDbContextAsync();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    public async Task<long> AddJobAsync(int deploymentId, int machineId, JobState state)
    {
        await using var db = await database.CreateDbContextAsync();
        var job = new MachineJob
        {
            MachineId = machineId, Kind = Domain.Agents.AgentJobKind.RunScript, DeploymentId = deploymentId, StepIndex = 0, Name = "Install",
            TimeoutSeconds = 60, State = state, CreatedAt = time.GetUtcNow(),
        };
        db.MachineJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    public async Task<List<MachineJob>> JobsAsync(int deploymentId)
    {
        await using var db = await database.CreateDbContextAsync();
        return await db.MachineJobs.AsNoTracking().Where(j => j.DeploymentId == deploymentId).OrderBy(j => j.Id).ToListAsync();
    }

    /// <summary>Ends a job as its agent would report it.</summary>
    public async Task EndJobAsync(long jobId, JobState state)
    {
        await using var db = await database.CreateDbContextAsync();
        var job = await db.MachineJobs.SingleAsync(j => j.Id == jobId);
        job.State = state;
        job.Message = state == JobState.Succeeded ? null : "The script exited with code 1.";
        job.StartedAt = job.CompletedAt = job.LastContactAt = time.GetUtcNow();
        await db.SaveChangesAsync();
    }

    public sealed class Node(string name, IDbContextFactory<AutoDeployDbContext> database, FakeTimeProvider time)
    {
        public DeploymentLeases Leases { get; } = new(new NodeIdentity(name, Lease), time);

        public TaskSignals Signals { get; } = new();

        public DeploymentRecovery Recovery => new(database, Leases, Signals, time, NullLogger<DeploymentRecovery>.Instance);

        public DeploymentRunner Runner => new(database, Leases, Signals,
            Microsoft.Extensions.Options.Options.Create(new TaskOptions()), time, NullLogger<DeploymentRunner>.Instance);

        public async Task<bool> ClaimAsync(int deploymentId)
        {
            await using var db = await database.CreateDbContextAsync();
            return await Leases.ClaimAsync(db, deploymentId, default);
        }

        public async Task<HashSet<int>> RenewAsync(params int[] deploymentIds)
        {
            await using var db = await database.CreateDbContextAsync();
            return await Leases.RenewAsync(db, deploymentIds, default);
        }

        public Task<List<int>> TakeOverOrphanedAsync(bool includeOwnLeftovers = false) =>
            Recovery.TakeOverOrphanedAsync(includeOwnLeftovers, [], capacity: 10, default);
    }
}
