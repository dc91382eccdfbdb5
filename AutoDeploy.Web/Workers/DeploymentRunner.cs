using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// Runs one deployment: chooses its machines, then runs the steps in order, each as one job per
/// machine that has the step's roles, and ends with a result per machine and for the whole. Every write is
/// conditional on this node still holding the deployment's lease (<see cref="DeploymentLeases.HoldAsync"/>).
/// </summary>
public sealed class DeploymentRunner(
    IDbContextFactory<AutoDeployDbContext> factory, DeploymentLeases leases, TaskSignals signals, IOptions<TaskOptions> options,
    TimeProvider time, ILogger<DeploymentRunner> logger, ServerStalls? stalls = null)
{
    private TaskOptions Options => options.Value;

    /// <summary>Runs the deployment from where it stands: from the start, or on from a step another node had reached.</summary>
    public async Task RunAsync(int deploymentId, CancellationToken cancellationToken)
    {
        var progress = await ReadProgressAsync(deploymentId, cancellationToken) ?? await StartAsync(deploymentId, cancellationToken);
        var active = progress.Active;
        for (var index = progress.NextStep; index < progress.Steps.Count && active.Count > 0; index++)
        {
            var step = progress.Steps[index];
            var jobs = index == progress.NextStep ? progress.NextStepJobs : null;
            if (jobs is null)
            {
                var machines = active.Where(m => step.AppliesTo(m.Roles)).ToList();
                if (machines.Count == 0)
                {
                    await LogAsync(deploymentId, $"Step {index + 1} '{step.Name}': no machine has a role of {string.Join(", ", step.Roles)}; skipped.", cancellationToken);
                    continue;
                }
                jobs = await QueueJobsAsync(deploymentId, index, step, machines, cancellationToken);
            }
            var outcome = await WaitForJobsAsync(deploymentId, jobs, step.Timeout, cancellationToken);
            await RecordFailedTargetsAsync(deploymentId, outcome, active, cancellationToken);
            var stopped = outcome.Where(j => j.State != JobState.Succeeded).Select(j => j.MachineId).ToHashSet();
            active.RemoveAll(m => stopped.Contains(m.Id));
            if (await IsCancelRequestedAsync(deploymentId, cancellationToken))
            {
                break;
            }
        }
        await FinishAsync(deploymentId, cancellationToken);
    }

    private async Task<DeploymentRunProgress?> ReadProgressAsync(int deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await DeploymentRunProgress.ReadAsync(db, deploymentId, cancellationToken);
    }

    private async Task<DeploymentRunProgress> StartAsync(int deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.SingleAsync(d => d.Id == deploymentId, cancellationToken);
        var release = await db.Releases.AsNoTracking().SingleAsync(r => r.Id == deployment.ReleaseId, cancellationToken);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == deployment.ProjectId, cancellationToken);
        // A leave hook runs on the other machines, never on the one that left.
        var candidates = (await MachineCandidates.InEnvironmentAsync(db, deployment.EnvironmentId, cancellationToken))
            .Where(m => m.Id != deployment.Leaving?.MachineId).ToList();
        var plan = TargetSelection.Select(release.Steps, project.Connectivity, candidates, deployment.ChosenMachineIds);
        deployment.Start(time.GetUtcNow());
        db.DeploymentTargets.AddRange(plan.Targets.Select(m => new DeploymentTarget
        {
            DeploymentId = deploymentId, MachineId = m.Id, MachineName = m.Name, State = TargetState.Pending,
        }));
        db.DeploymentTargets.AddRange(plan.Skipped.Select(s => new DeploymentTarget
        {
            DeploymentId = deploymentId, MachineId = s.Machine.Id, MachineName = s.Machine.Name, State = TargetState.Skipped,
            Reason = $"Skipped: {s.Reason}.", CompletedAt = time.GetUtcNow(),
        }));
        AddLog(db, deploymentId, plan.CanRun
            ? $"Deploying {deployment.ProjectName} {deployment.ReleaseVersion} to {deployment.EnvironmentName}: " +
              $"{plan.Targets.Count} machine(s){(plan.Skipped.Count > 0 ? $", {plan.Skipped.Count} skipped" : "")}."
            : plan.Error!);
        foreach (var skipped in plan.Skipped)
        {
            AddLog(db, deploymentId, $"Skipping '{skipped.Machine.Name}': {skipped.Reason}.");
        }
        if (!plan.CanRun)
        {
            deployment.Finish(DeploymentState.Failed, plan.Error, time.GetUtcNow());
        }
        await SaveAsync(db, deploymentId, cancellationToken);
        return plan.CanRun ? DeploymentRunProgress.Fresh(release.Steps, plan.Targets.ToList()) : DeploymentRunProgress.Fresh([], []);
    }

    private async Task<List<long>> QueueJobsAsync(int deploymentId, int index, DeploymentStep step, List<MachineCandidate> machines,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var jobs = machines.Select(m => new MachineJob
        {
            MachineId = m.Id, Kind = AgentJobKind.RunScript, DeploymentId = deploymentId, StepIndex = index, Name = step.Name,
            TimeoutSeconds = (int)Math.Ceiling(step.Timeout.TotalSeconds), State = JobState.Pending, CreatedAt = now,
        }).ToList();
        db.MachineJobs.AddRange(jobs);
        foreach (var target in await db.DeploymentTargets.Where(t => t.DeploymentId == deploymentId && t.State == TargetState.Pending).ToListAsync(cancellationToken))
        {
            target.State = TargetState.Running;
        }
        AddLog(db, deploymentId, $"Step {index + 1} '{step.Name}' on {string.Join(", ", machines.Select(m => m.Name))}.");
        await SaveAsync(db, deploymentId, cancellationToken);
        foreach (var machine in machines)
        {
            signals.Machines.Notify(machine.Id);
        }
        return jobs.Select(j => j.Id).ToList();
    }

    /// <summary>Waits until every job has ended, passing on cancel requests and failing jobs whose agent is gone.</summary>
    private async Task<List<MachineJob>> WaitForJobsAsync(int deploymentId, List<long> jobIds, TimeSpan stepTimeout,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var wake = signals.Deployments.WaitAsync(deploymentId, Options.RecheckInterval, time, cancellationToken);
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var jobs = await db.MachineJobs.AsNoTracking().Where(j => jobIds.Contains(j.Id)).ToListAsync(cancellationToken);
            var cancel = await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.CancelRequested).SingleAsync(cancellationToken);
            var now = time.GetUtcNow();
            var verdicts = new List<JobVerdict>();
            foreach (var job in jobs.Where(j => !j.IsFinished))
            {
                var read = new JobVerdict(job, job.State, job.LastContactAt, job.CancelRequested);
                var stalled = stalls?.Since(job.LastContactAt ?? job.CreatedAt) ?? TimeSpan.Zero;
                JobSupervision.Supervise(job, cancel, stepTimeout, now, Options, stalled);
                if (read.Changed)
                {
                    verdicts.Add(read);
                }
            }
            if (!await ApplyAsync(db, deploymentId, verdicts, cancellationToken))
            {
                continue;
            }
            if (cancel)
            {
                foreach (var machineId in jobs.Where(j => j.State == JobState.Running).Select(j => j.MachineId))
                {
                    signals.Machines.Notify(machineId);
                }
            }
            if (jobs.All(j => j.IsFinished))
            {
                return jobs;
            }
            await wake;
        }
    }

    /// <summary>
    /// Writes the supervisor's verdicts, each only if its job is as it was read: a log batch or a result that came in
    /// since (a live agent, however slow the server was to hear it) wins over "the agent stopped responding".
    /// False when a job had moved on, so the caller reads the jobs again.
    /// </summary>
    private async Task<bool> ApplyAsync(AutoDeployDbContext db, int deploymentId, List<JobVerdict> verdicts, CancellationToken cancellationToken)
    {
        if (verdicts.Count == 0)
        {
            return true;
        }
        var applied = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await leases.HoldAsync(db, deploymentId, cancellationToken);
            foreach (var verdict in verdicts)
            {
                applied += await verdict.ApplyAsync(db, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        signals.Logs.Notify(deploymentId);
        return applied == verdicts.Count;
    }

    /// <summary>
    /// Logs how each machine's job of a step ended and ends the machines that stop there. A machine lost on the way is
    /// Skipped when the project's connectivity settings skip unavailable machines of its roles (the deployment goes on
    /// without it and warns), and Failed otherwise.
    /// </summary>
    private async Task RecordFailedTargetsAsync(int deploymentId, List<MachineJob> jobs, List<MachineCandidate> machines,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var targets = await db.DeploymentTargets.Where(t => t.DeploymentId == deploymentId).ToDictionaryAsync(t => t.MachineId, cancellationToken);
        var connectivity = jobs.Any(j => j.State == JobState.Lost) ? await ConnectivityAsync(db, deploymentId, cancellationToken) : null;
        foreach (var job in jobs)
        {
            var maySkip = connectivity is not null && machines.FirstOrDefault(m => m.Id == job.MachineId) is { } machine
                && TargetSelection.MaySkip(machine, connectivity);
            var verdict = job.State switch
            {
                JobState.Succeeded => "succeeded",
                JobState.Lost when maySkip => $"lost, skipped (the project skips unavailable machines): {job.Message}",
                _ => $"{job.State.ToString().ToLowerInvariant()}: {job.Message}",
            };
            AddLog(db, deploymentId, $"Step '{job.Name}' on '{targets[job.MachineId].MachineName}' {verdict}", job.MachineId,
                job.State == JobState.Succeeded ? LogStream.Output : LogStream.Error);
            if (DeploymentOutcome.TargetStateAfter(job.State, maySkip) is { } stopped)
            {
                var target = targets[job.MachineId];
                target.State = stopped;
                target.Reason = TextRules.Cut(stopped == TargetState.Skipped
                    ? $"Skipped: lost during step '{job.Name}' ({job.Message}), and the project skips unavailable machines."
                    : $"Step '{job.Name}': {job.Message}");
                target.CompletedAt = job.CompletedAt;
            }
        }
        await SaveAsync(db, deploymentId, cancellationToken);
    }

    /// <summary>The connectivity settings of the deployment's project as they are now (a user may have changed them since it began).</summary>
    private static async Task<ConnectivitySettings> ConnectivityAsync(AutoDeployDbContext db, int deploymentId, CancellationToken cancellationToken)
    {
        var projectId = await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.ProjectId).SingleAsync(cancellationToken);
        return (await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, cancellationToken)).Connectivity;
    }

    private async Task FinishAsync(int deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.SingleAsync(d => d.Id == deploymentId, cancellationToken);
        if (deployment.State.IsFinished())
        {
            return;
        }
        var now = time.GetUtcNow();
        var targets = await db.DeploymentTargets.Where(t => t.DeploymentId == deploymentId).ToListAsync(cancellationToken);
        foreach (var target in targets.Where(t => t.State is TargetState.Pending or TargetState.Running))
        {
            target.State = deployment.CancelRequested ? TargetState.Canceled : TargetState.Success;
            target.CompletedAt = now;
        }
        var (state, reason) = DeploymentOutcome.Judge(deployment.CancelRequested, targets);
        var warning = DeploymentOutcome.Warn(targets);
        deployment.Finish(state, reason, now, warning);
        AddLog(db, deploymentId, state == DeploymentState.Success ? "The deployment succeeded." : $"The deployment {state.ToString().ToLowerInvariant()}: {reason}",
            stream: state == DeploymentState.Success ? LogStream.Output : LogStream.Error);
        if (warning is not null)
        {
            AddLog(db, deploymentId, $"Warning: {warning}", stream: LogStream.Error);
        }
        await SaveAsync(db, deploymentId, cancellationToken);
        logger.LogInformation("Deployment {Id} ended {State}", deploymentId, state);
    }

    private async Task<bool> IsCancelRequestedAsync(int deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.CancelRequested).SingleAsync(cancellationToken);
    }

    private async Task LogAsync(int deploymentId, string text, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        AddLog(db, deploymentId, text);
        await SaveAsync(db, deploymentId, cancellationToken);
    }

    /// <summary>Saves, if this node still holds the deployment, and wakes the pages that show it.</summary>
    /// <exception cref="LeaseLostException">Another node took the deployment over; nothing was saved.</exception>
    private async Task SaveAsync(AutoDeployDbContext db, int deploymentId, CancellationToken cancellationToken)
    {
        if (!db.ChangeTracker.HasChanges())
        {
            return;
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await leases.HoldAsync(db, deploymentId, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        signals.Logs.Notify(deploymentId);
    }

    private void AddLog(AutoDeployDbContext db, int deploymentId, string text, int? machineId = null, LogStream stream = LogStream.Output) =>
        db.TaskLogLines.Add(new TaskLogLine { DeploymentId = deploymentId, MachineId = machineId, At = time.GetUtcNow(), Stream = stream, Text = text });
}
