using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.HealthChecks;

/// <summary>
/// Health checks: queues them as jobs for the machines' agents (scheduled, on first contact, or asked for
/// as a task with a log) and records their verdicts on the machines, which raises the health events.
/// </summary>
public sealed class HealthCheckService(
    IDbContextFactory<AutoDeployDbContext> factory, TaskSignals signals, IOptions<HealthCheckOptions> options, TimeProvider time)
{
    private HealthCheckOptions Options => options.Value;

    /// <summary>Adds a health-check job for the machine unless one is already waiting or running.</summary>
    public async Task<bool> QueueAsync(AutoDeployDbContext db, int machineId, int? runId, CancellationToken cancellationToken)
    {
        var outstanding = await db.MachineJobs.AnyAsync(j => j.MachineId == machineId && j.Kind == AgentJobKind.HealthCheck
            && (j.State == JobState.Pending || j.State == JobState.Running) && j.HealthCheckRunId == runId, cancellationToken);
        if (outstanding)
        {
            return false;
        }
        db.MachineJobs.Add(CheckJob(machineId, runId));
        return true;
    }

    private MachineJob CheckJob(int machineId, int? runId) => new()
    {
        MachineId = machineId, Kind = AgentJobKind.HealthCheck, HealthCheckRunId = runId, Name = "Health check",
        TimeoutSeconds = (int)Options.ScriptTimeout.TotalSeconds, State = JobState.Pending, CreatedAt = time.GetUtcNow(),
    };

    /// <summary>
    /// A machine's first contact (after registration, or back from Unavailable) is a reason to check it at once. The poll
    /// itself shows that the agent answers, which is the whole check under a connectivity-only policy: judged here, in the
    /// poll's own save, without a round trip to the agent. A policy's script is queued as a check job that this very poll
    /// hands to the agent.
    /// </summary>
    public async Task FirstContactAsync(AutoDeployDbContext db, Machine machine, CancellationToken cancellationToken)
    {
        var policy = await db.MachinePolicies.SingleAsync(p => p.Id == machine.MachinePolicyId, cancellationToken);
        if (policy.HealthCheckType == HealthCheckType.RunScript)
        {
            await QueueAsync(db, machine.Id, null, cancellationToken);
            return;
        }
        Judge(machine, policy, HealthRules.Evaluate(JobOutcome.Succeeded, null, [], machine.AgentVersion, AgentProtocol.Version, policy));
    }

    /// <summary>"Check health" on one machine, or on every machine of an environment: a task with a log.</summary>
    public async Task<SaveResult<int>> StartRunAsync(int? machineId, int? environmentId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var machines = db.Machines.AsQueryable();
        string title;
        if (machineId is not null)
        {
            var name = await db.Machines.Where(m => m.Id == machineId).Select(m => m.Name).SingleOrDefaultAsync(cancellationToken);
            if (name is null)
            {
                return SaveResult.NotFound($"Machine {machineId} does not exist.");
            }
            machines = machines.Where(m => m.Id == machineId);
            title = $"Check health of {name}";
        }
        else
        {
            var name = await db.Environments.Where(e => e.Id == environmentId).Select(e => e.Name).SingleOrDefaultAsync(cancellationToken);
            if (name is null)
            {
                return SaveResult.NotFound($"Environment {environmentId} does not exist.");
            }
            machines = machines.Where(m => m.Environments.Any(e => e.Id == environmentId));
            title = $"Check health of the machines in {name}";
        }
        var ids = await machines.OrderBy(m => m.Name).Select(m => m.Id).ToListAsync(cancellationToken);
        // The run and its jobs commit together: a node dying in between leaves no run that nothing would ever end.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = new HealthCheckRun
        {
            MachineId = machineId, EnvironmentId = environmentId, Title = title, RequestedBy = ActorContext.Current, QueuedAt = time.GetUtcNow(),
        };
        db.HealthCheckRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        // A new run has no jobs yet, so none is outstanding: 10,000 machines are 10,000 inserts, not 10,000 queries first.
        db.MachineJobs.AddRange(ids.Select(id => CheckJob(id, run.Id)));
        db.TaskLogLines.Add(Line(run.Id, null, ids.Count == 0 ? "There are no machines to check." : $"Checking {ids.Count} machine(s)."));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signals.HealthChecks.Notify(run.Id);
        await FinishRunIfDoneAsync(db, run.Id, cancellationToken);
        foreach (var id in ids)
        {
            signals.Machines.Notify(id);
        }
        return new SaveResult<int>(SaveResult.Saved, run.Id);
    }

    /// <summary>Judges a finished health-check job and records the verdict on its machine.</summary>
    public async Task RecordAsync(long jobId, JobOutcome outcome, int? exitCode, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var job = await db.MachineJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
        var machine = await db.Machines.Include(m => m.MachinePolicy).SingleOrDefaultAsync(m => m.Id == job.MachineId, cancellationToken);
        if (machine is null)
        {
            return;
        }
        var output = await db.TaskLogLines.Where(l => l.JobId == jobId).OrderBy(l => l.Id).Select(l => l.Text).ToListAsync(cancellationToken);
        var verdict = HealthRules.Evaluate(outcome, exitCode, output, machine.AgentVersion, AgentProtocol.Version, machine.MachinePolicy!);
        await RecordVerdictAsync(db, machine, job, verdict, cancellationToken);
    }

    /// <summary>A check no agent answered: the machine is Unavailable.</summary>
    public async Task RecordUnansweredAsync(AutoDeployDbContext db, MachineJob job, string reason, CancellationToken cancellationToken)
    {
        var machine = await db.Machines.Include(m => m.MachinePolicy).SingleOrDefaultAsync(m => m.Id == job.MachineId, cancellationToken);
        if (machine is not null)
        {
            await RecordVerdictAsync(db, machine, job, new HealthVerdict(MachineHealthStatus.Unavailable, reason), cancellationToken);
        }
    }

    private async Task RecordVerdictAsync(AutoDeployDbContext db, Machine machine, MachineJob job, HealthVerdict verdict, CancellationToken cancellationToken)
    {
        Judge(machine, machine.MachinePolicy!, verdict);
        if (job.HealthCheckRunId is { } runId)
        {
            db.TaskLogLines.Add(Line(runId, machine.Id, $"{machine.Name}: {verdict.Status}. {verdict.Summary}",
                verdict.Status is MachineHealthStatus.Healthy or MachineHealthStatus.HasWarnings ? LogStream.Output : LogStream.Error));
        }
        await db.SaveChangesAsync(cancellationToken);
        if (job.HealthCheckRunId is { } id)
        {
            signals.HealthChecks.Notify(id);
            await FinishRunIfDoneAsync(db, id, cancellationToken);
        }
    }

    /// <summary>A verdict on the machine (its health events) and, counted from now, its next scheduled check.</summary>
    private void Judge(Machine machine, MachinePolicy policy, HealthVerdict verdict)
    {
        var now = time.GetUtcNow();
        machine.RecordHealth(verdict.Status, verdict.Summary, now);
        machine.NextHealthCheckAt = HealthRules.NextCheck(now, policy);
    }

    /// <summary>Ends a run once every job has: failed if a machine expected online could not be reached or is unhealthy.</summary>
    private async Task FinishRunIfDoneAsync(AutoDeployDbContext db, int runId, CancellationToken cancellationToken)
    {
        var jobs = await db.MachineJobs.AsNoTracking().Where(j => j.HealthCheckRunId == runId).ToListAsync(cancellationToken);
        if (jobs.Any(j => !j.IsFinished))
        {
            return;
        }
        var ids = jobs.Select(j => j.MachineId).ToList();
        var machines = await db.Machines.AsNoTracking().Include(m => m.MachinePolicy).Where(m => ids.Contains(m.Id)).ToListAsync(cancellationToken);
        var failing = machines.Where(m => m.HealthStatus == MachineHealthStatus.Unhealthy
            || (m.HealthStatus == MachineHealthStatus.Unavailable && HealthRules.FailsTaskWhenUnavailable(m.MachinePolicy!))).ToList();
        var skipped = machines.Count(m => m.HealthStatus == MachineHealthStatus.Unavailable && !failing.Contains(m));
        var state = failing.Count == 0 ? DeploymentState.Success : DeploymentState.Failed;
        var summary = failing.Count == 0
            ? $"{machines.Count - skipped} machine(s) checked{(skipped > 0 ? $", {skipped} unavailable and skipped by their policy" : "")}."
            : TextRules.Cut($"Failed: {TextRules.List(failing.Select(m => $"{m.Name} is {m.HealthStatus}").ToList(), 10)}.");
        var now = time.GetUtcNow();
        // Conditional: when the last two checks end together (on two nodes), only one of them ends the run.
        var ended = await db.HealthCheckRuns.Where(r => r.Id == runId && r.State == DeploymentState.Executing)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, state).SetProperty(r => r.CompletedAt, now).SetProperty(r => r.Summary, summary),
                cancellationToken);
        if (ended == 0)
        {
            return;
        }
        db.TaskLogLines.Add(Line(runId, null, summary, failing.Count == 0 ? LogStream.Output : LogStream.Error));
        await db.SaveChangesAsync(cancellationToken);
        signals.HealthChecks.Notify(runId);
    }

    private TaskLogLine Line(int runId, int? machineId, string text, LogStream stream = LogStream.Output) =>
        new() { HealthCheckRunId = runId, MachineId = machineId, At = time.GetUtcNow(), Stream = stream, Text = TaskLogLine.Bound(text) };
}
