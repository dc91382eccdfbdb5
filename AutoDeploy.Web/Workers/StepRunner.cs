using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// How a step ended: its jobs, the machines it never started and why it stopped starting them ("after web-02 failed",
/// "as the deployment was canceled"; <see cref="Canceled"/> for the latter).
/// </summary>
public sealed record StepOutcome(List<MachineJob> Jobs, List<MachineCandidate> NotStarted, string? StopCause, bool Canceled);

/// <summary>
/// Runs one step of a deployment: a job per machine, all at once or, for a rolling step, a window at a time, the next
/// machine queued as soon as a job ends. It supervises the jobs (cancel, lost agents, timeouts) and stops starting
/// machines on a cancel, or on a failure unless the step continues on failure (a lost machine the project skips is no
/// failure). It reads the step's jobs from the database (<see cref="StepJobs"/>: all of them once, then those that ended since),
/// so a node that took the deployment over carries on: jobs already queued are waited for, only machines without one are started.
/// </summary>
public sealed class StepRunner(
    IDbContextFactory<AutoDeployDbContext> factory, DeploymentLeases leases, DeploymentWrites writes, TaskSignals signals,
    IOptions<TaskOptions> options, TimeProvider time, ServerStalls? stalls = null)
{
    /// <summary>The machines a step's start line names; the rest are counted ("and 990 more").</summary>
    public const int MachinesNamed = 20;

    private TaskOptions Options => options.Value;

    /// <param name="machines">The machines of the deployment that run the step, in the order a roll starts them.</param>
    public async Task<StepOutcome> RunAsync(int deploymentId, int index, DeploymentStep step, IReadOnlyList<MachineCandidate> machines,
        CancellationToken cancellationToken)
    {
        var label = $"Step {index + 1} '{step.Name}'";
        var names = machines.ToDictionary(m => m.Id, m => m.Name);
        var lost = new Dictionary<long, bool>();
        int? window = null;
        string? stop = null;
        var canceled = false;
        var read = new StepJobs(deploymentId, index, time, Options.RecheckInterval);
        while (true)
        {
            var wake = signals.Deployments.WaitAsync(deploymentId, Options.RecheckInterval, time, cancellationToken);
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var jobs = await read.ReadAsync(db, cancellationToken);
            var cancel = await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.CancelRequested).SingleAsync(cancellationToken);
            if (!await SuperviseAsync(db, deploymentId, jobs, cancel, step.Timeout, cancellationToken))
            {
                read.Invalidate();
                continue;
            }
            var started = jobs.Select(j => j.MachineId).ToHashSet();
            var unstarted = machines.Where(m => !started.Contains(m.Id)).ToList();
            var total = started.Count + unstarted.Count;
            var open = jobs.Count(j => !j.IsFinished);
            if (window is null)
            {
                window = step.Window?.For(total) ?? total;
                if (step.Window is not null && jobs.Count > 0)
                {
                    await LogAsync(deploymentId, $"{label} carries on rolling {window} at a time over {total} machines: " +
                        $"{started.Count} started, {unstarted.Count} to go.", cancellationToken);
                }
            }
            if (stop is null && unstarted.Count > 0)
            {
                canceled = cancel;
                stop = cancel ? "as the deployment was canceled"
                    : step.ContinueOnFailure ? null
                    : await FailureAsync(deploymentId, jobs, machines, names, lost, cancellationToken);
                if (stop is not null)
                {
                    await LogAsync(deploymentId, $"{label} stopped starting new machines {stop}; {unstarted.Count} not started.", cancellationToken);
                }
            }
            if (stop is null && unstarted.Take(window.Value - open).ToList() is { Count: > 0 } next)
            {
                var header = step.Window is null || jobs.Count > 0 ? null : $"{label} rolling {window} at a time over {total} machines.";
                await QueueAsync(deploymentId, index, step, next, started.Count, total, header, cancellationToken);
                read.Invalidate();
                continue;
            }
            if (open == 0 && (stop is not null || unstarted.Count == 0))
            {
                return new StepOutcome(jobs, stop is null ? [] : unstarted, stop, canceled);
            }
            await wake;
        }
    }

    /// <summary>
    /// "after web-02 failed": the first machine whose job ended other than Succeeded, unless it was lost and the project's
    /// connectivity settings (read when it is first seen lost) skip it; null when none.
    /// </summary>
    private async Task<string?> FailureAsync(int deploymentId, List<MachineJob> jobs, IReadOnlyList<MachineCandidate> machines,
        Dictionary<int, string> names, Dictionary<long, bool> lost, CancellationToken cancellationToken)
    {
        ConnectivitySettings? connectivity = null;
        foreach (var job in jobs.Where(j => j.IsFinished && j.State != JobState.Succeeded).OrderBy(j => j.CompletedAt).ThenBy(j => j.Id))
        {
            if (job.State == JobState.Lost && !lost.ContainsKey(job.Id))
            {
                connectivity ??= await ProjectConnectivity.ReadAsync(factory, deploymentId, cancellationToken);
                lost[job.Id] = machines.FirstOrDefault(m => m.Id == job.MachineId) is { } machine && TargetSelection.MaySkip(machine, connectivity);
            }
            if (job.State != JobState.Lost || !lost[job.Id])
            {
                var name = names.GetValueOrDefault(job.MachineId, $"machine #{job.MachineId}");
                return $"after {name} {job.State switch { JobState.TimedOut => "timed out", JobState.Lost => "was lost", var state => state.ToString().ToLowerInvariant() }}";
            }
        }
        return null;
    }

    /// <summary>
    /// Queues the machines' jobs and marks them running; a rolling step logs each start ("started on web-04 (4 of 10)"). A
    /// machine deleted or unavailable by the time its turn comes (a roll can be long) gets its job ended Lost at once rather
    /// than after the pick-up timeout, and is skipped or failed as any machine lost on the way.
    /// </summary>
    private async Task QueueAsync(int deploymentId, int index, DeploymentStep step, List<MachineCandidate> next, int startedBefore, int total,
        string? header, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var ids = next.Select(m => m.Id).ToList();
        var health = await db.Machines.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.HealthStatus })
            .ToDictionaryAsync(m => m.Id, m => m.HealthStatus, cancellationToken);
        var jobs = next.Select(m => new MachineJob
        {
            MachineId = m.Id, Kind = AgentJobKind.RunScript, DeploymentId = deploymentId, StepIndex = index, Name = step.Name,
            TimeoutSeconds = (int)Math.Ceiling(step.Timeout.TotalSeconds), State = JobState.Pending, CreatedAt = now,
        }).ToList();
        foreach (var job in jobs)
        {
            job.Message = !health.TryGetValue(job.MachineId, out var status) ? "The machine was deleted before its turn came."
                : status == MachineHealthStatus.Unavailable ? "The machine was unavailable when its turn came." : null;
            if (job.Message is not null)
            {
                (job.State, job.CompletedAt) = (JobState.Lost, now);
            }
        }
        db.MachineJobs.AddRange(jobs);
        var targets = await db.DeploymentTargets
            .Where(t => t.DeploymentId == deploymentId && t.State == TargetState.Pending && ids.Contains(t.MachineId)).ToListAsync(cancellationToken);
        foreach (var target in targets)
        {
            target.State = TargetState.Running;
        }
        var label = $"Step {index + 1} '{step.Name}'";
        if (header is not null)
        {
            writes.AddLog(db, deploymentId, header);
        }
        if (step.Window is null)
        {
            // Each machine's own lines name it; this one names the first few, so 1,000 machines make one short line.
            writes.AddLog(db, deploymentId, $"{label} on {TextRules.List(next.Select(m => m.Name).ToList(), MachinesNamed)}.");
        }
        for (var i = 0; i < next.Count; i++)
        {
            var started = step.Window is null ? null : $"{label} started on {next[i].Name} ({startedBefore + i + 1} of {total}).";
            var text = jobs[i].Message is { } lost ? $"{label} on {next[i].Name}: lost before it started. {lost}" : started;
            if (text is not null)
            {
                writes.AddLog(db, deploymentId, text, next[i].Id, jobs[i].Message is null ? LogStream.Output : LogStream.Error);
            }
        }
        await writes.SaveAsync(db, deploymentId, cancellationToken);
        foreach (var job in jobs.Where(j => j.State == JobState.Pending))
        {
            signals.Machines.Notify(job.MachineId);
        }
    }

    /// <summary>
    /// Passes on a cancel request and fails jobs whose agent is gone or that outran their timeout. False when a verdict
    /// could not be written because its job had moved on, so the caller reads the jobs again.
    /// </summary>
    private async Task<bool> SuperviseAsync(AutoDeployDbContext db, int deploymentId, List<MachineJob> jobs, bool cancel, TimeSpan stepTimeout,
        CancellationToken cancellationToken)
    {
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
            return false;
        }
        if (cancel)
        {
            foreach (var machineId in jobs.Where(j => j.State == JobState.Running).Select(j => j.MachineId))
            {
                signals.Machines.Notify(machineId);
            }
        }
        return true;
    }

    /// <summary>
    /// Writes the supervisor's verdicts, each only if its job is as it was read: a log batch or a result that came in
    /// since (a live agent, however slow the server was to hear it) wins over "the agent stopped responding".
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

    private async Task LogAsync(int deploymentId, string text, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        writes.AddLog(db, deploymentId, text);
        await writes.SaveAsync(db, deploymentId, cancellationToken);
    }
}
