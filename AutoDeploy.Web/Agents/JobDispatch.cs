using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Secrets;
using AutoDeploy.Web.Signals;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using AutoDeploy.Web.Telemetry;

namespace AutoDeploy.Web.Agents;

/// <summary>
/// The agent protocol's job dispatch: an agent's long poll, which records its contact (a first contact is a health
/// check), claims the machine's next job for it and hands it over, or tells an agent older than the server's to
/// update itself when its policy says Automatically.
/// </summary>
public sealed class JobDispatch(
    IDbContextFactory<AutoDeployDbContext> factory, HealthCheckService healthChecks, TaskSignals signals, IOptions<TaskOptions> options,
    IOptions<HealthCheckOptions> healthOptions, AgentBinaries binaries, TimeProvider time, SecretProtector secrets, AgentWorkGate gate,
    AutoDeployMetrics? metrics = null)
{
    private TaskOptions Options => options.Value;

    private TimeSpan Heartbeat => AgentHeartbeat.For(Options.AgentLostAfter, healthOptions.Value.UnavailableAfter);

    /// <summary>Holds the poll open until the machine has a job (claimed for it here) or the long poll ends.</summary>
    public async Task<PollAnswer> PollAsync(int machineId, PollRequest request, CancellationToken cancellationToken)
    {
        metrics?.PollStarted();
        try
        {
            return await HoldAsync(machineId, request, cancellationToken);
        }
        finally
        {
            metrics?.PollEnded();
        }
    }

    private async Task<PollAnswer> HoldAsync(int machineId, PollRequest request, CancellationToken cancellationToken)
    {
        var updateTo = await RecordContactAsync(machineId, request.AgentVersion, cancellationToken);
        var deadline = time.GetUtcNow() + Options.LongPoll;
        while (!cancellationToken.IsCancellationRequested)
        {
            var remaining = deadline - time.GetUtcNow();
            // Register for the wake-up before looking, so a job queued in between is not missed. Every job is queued
            // with a wake-up (relayed between nodes), so a waiting poll does not re-read on a timer: with 1,000 agents
            // that was 500 queries a second. A wake-up lost with a node's connection costs one long poll at most,
            // since the agent's next poll looks first.
            var wake = signals.Machines.WaitAsync(machineId, Max(remaining, TimeSpan.Zero), time, cancellationToken);
            var job = await TryClaimAsync(machineId, cancellationToken);
            // An update rides on a poll that ends without a job (the agent updates between jobs), at the end of the
            // hold like any such poll: an agent that cannot update and carries on asks no more often than before.
            if (job is not null || remaining <= TimeSpan.Zero)
            {
                return new PollAnswer(job, job is null ? updateTo : null);
            }
            // A hold that ends without a wake-up ends without looking again: nothing was queued for the machine meanwhile
            // (or its wake-up was lost, which the agent's next poll, looking first, makes good). An idle fleet's polls
            // each cost one query for jobs, not two.
            if (!await wake)
            {
                return new PollAnswer(null, updateTo);
            }
        }
        return new PollAnswer(null, null);
    }

    /// <returns>The version the agent should update itself to now, or null.</returns>
    private async Task<string?> RecordContactAsync(int machineId, string agentVersion, CancellationToken cancellationToken)
    {
        using var slot = await gate.EnterAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var machine = await db.Machines.SingleAsync(m => m.Id == machineId, cancellationToken);
        // Only an outdated agent costs the policy's query, and only a server that has binaries offers them.
        var updateTo = AgentProtocol.IsOlder(agentVersion, AgentProtocol.Version) && binaries.All().Count > 0
            && await db.MachinePolicies.Where(p => p.Id == machine.MachinePolicyId).Select(p => p.AgentVersionCheck)
                .SingleAsync(cancellationToken) == AgentVersionCheck.Automatically
            ? AgentProtocol.Version : null;
        var now = time.GetUtcNow();
        var firstContact = machine.HealthStatus is MachineHealthStatus.Unknown or MachineHealthStatus.Unavailable;
        if (!firstContact && machine.LastSeenAt is { } seen && now - seen < Options.LastSeenResolution && machine.AgentVersion == agentVersion)
        {
            return updateTo;
        }
        machine.LastSeenAt = now;
        machine.ReportAgentVersion(agentVersion);
        if (firstContact)
        {
            await healthChecks.FirstContactAsync(db, machine, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return updateTo;
    }

    private async Task<AgentJob?> TryClaimAsync(int machineId, CancellationToken cancellationToken)
    {
        using var slot = await gate.EnterAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.MachineJobs.AsNoTracking()
            .Where(j => j.MachineId == machineId && j.State == JobState.Pending && !j.CancelRequested)
            // A health check goes first: a machine's first contact is checked before it runs any deployment step.
            .OrderBy(j => j.Kind == AgentJobKind.HealthCheck ? 0 : 1).ThenBy(j => j.Id).Take(5).ToListAsync(cancellationToken);
        foreach (var job in candidates)
        {
            var now = time.GetUtcNow();
            // Conditional: of two polls (or two nodes) only one moves the job from Pending to Running.
            var claimed = await db.MachineJobs.Where(j => j.Id == job.Id && j.State == JobState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Running)
                    .SetProperty(j => j.StartedAt, now).SetProperty(j => j.LastContactAt, now), cancellationToken);
            if (claimed == 1)
            {
                (job.State, job.StartedAt, job.LastContactAt) = (JobState.Running, now, now);
                // The task log shows the job running; its step runner has nothing to do about a claim (it wakes when a
                // job ends), so it is not woken: with 1,000 machines in a step that was 1,000 wake-ups.
                if (job.DeploymentId is { } deploymentId)
                {
                    signals.Logs.Notify(deploymentId);
                }
                return await AgentJobBuilder.BuildAsync(db, job, Heartbeat, secrets, cancellationToken);
            }
        }
        return null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
