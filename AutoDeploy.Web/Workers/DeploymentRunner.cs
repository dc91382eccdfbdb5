using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using AutoDeploy.Web.Telemetry;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// Runs one deployment: chooses its machines, then runs the steps in order (<see cref="StepRunner"/>: one job per machine
/// that has the step's roles, all at once or a rolling window at a time), and ends with a result per machine and for the
/// whole. Every write is conditional on this node still holding the deployment's lease (<see cref="DeploymentLeases.HoldAsync"/>).
/// </summary>
public sealed class DeploymentRunner(
    IDbContextFactory<AutoDeployDbContext> factory, DeploymentLeases leases, TaskSignals signals, IOptions<TaskOptions> options,
    TimeProvider time, ILogger<DeploymentRunner> logger, ServerStalls? stalls = null, AutoDeployMetrics? metrics = null)
{
    private readonly DeploymentWrites _writes = new(leases, signals, time);

    private StepRunner Steps => field ??= new StepRunner(factory, leases, _writes, signals, options, time, stalls);

    /// <summary>Runs the deployment from where it stands: from the start, or on from a step another node had reached.</summary>
    public async Task RunAsync(int deploymentId, CancellationToken cancellationToken)
    {
        var progress = await ReadProgressAsync(deploymentId, cancellationToken) ?? await StartAsync(deploymentId, cancellationToken);
        var active = progress.Active;
        for (var index = progress.NextStep; index < progress.Steps.Count && active.Count > 0; index++)
        {
            var step = progress.Steps[index];
            var machines = active.Where(m => step.AppliesTo(m.Roles)).OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
            // A step taken over mid-way is carried on even when none of its machines is left: its jobs are still waited for.
            if (machines.Count == 0 && !(index == progress.NextStep && progress.Resuming))
            {
                await LogAsync(deploymentId, $"Step {index + 1} '{step.Name}': no machine has a role of {string.Join(", ", step.Roles)}; skipped.", cancellationToken);
                continue;
            }
            var outcome = await Steps.RunAsync(deploymentId, index, step, machines, cancellationToken);
            await RecordTargetsAsync(deploymentId, step.Name, outcome, active, cancellationToken);
            var stopped = outcome.Jobs.Where(j => j.State != JobState.Succeeded).Select(j => j.MachineId)
                .Concat(outcome.NotStarted.Select(m => m.Id)).ToHashSet();
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
        if (!plan.CanRun)
        {
            metrics?.DeploymentFinished(deployment);
        }
        return plan.CanRun ? DeploymentRunProgress.Fresh(release.Steps, plan.Targets.ToList()) : DeploymentRunProgress.Fresh([], []);
    }

    /// <summary>
    /// Logs how each machine's job of a step ended and ends the machines that stop there. A machine lost on the way is
    /// Skipped when the project's connectivity settings skip unavailable machines of its roles (the deployment goes on
    /// without it and warns), and Failed otherwise. Machines a rolling step never started end Skipped (Canceled after a
    /// cancel) with the reason: they do not count as deployed, and the failure that stopped the roll fails the deployment.
    /// </summary>
    private async Task RecordTargetsAsync(int deploymentId, string stepName, StepOutcome outcome, List<MachineCandidate> machines,
        CancellationToken cancellationToken)
    {
        var jobs = outcome.Jobs;
        var connectivity = jobs.Any(j => j.State == JobState.Lost) ? await ProjectConnectivity.ReadAsync(factory, deploymentId, cancellationToken) : null;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var targets = await db.DeploymentTargets.Where(t => t.DeploymentId == deploymentId).ToDictionaryAsync(t => t.MachineId, cancellationToken);
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
        var now = time.GetUtcNow();
        foreach (var machine in outcome.NotStarted)
        {
            var target = targets[machine.Id];
            target.State = outcome.Canceled ? TargetState.Canceled : TargetState.Skipped;
            target.Reason = DeploymentOutcome.NotStarted(stepName, $"the step stopped starting new machines {outcome.StopCause}.");
            target.CompletedAt = now;
        }
        await _writes.SaveAsync(db, deploymentId, cancellationToken);
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
        metrics?.DeploymentFinished(deployment);
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

    private Task SaveAsync(AutoDeployDbContext db, int deploymentId, CancellationToken cancellationToken) =>
        _writes.SaveAsync(db, deploymentId, cancellationToken);

    private void AddLog(AutoDeployDbContext db, int deploymentId, string text, int? machineId = null, LogStream stream = LogStream.Output) =>
        _writes.AddLog(db, deploymentId, text, machineId, stream);
}
