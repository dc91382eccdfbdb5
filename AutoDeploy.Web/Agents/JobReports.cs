using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Secrets;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Agents;

/// <summary>
/// What agents report about their jobs: log batches, how a job ended (a health check's result is judged at once), and
/// the machine's deregistration. Every report is contact that keeps the machine from being found unresponsive.
/// </summary>
public sealed class JobReports(
    IDbContextFactory<AutoDeployDbContext> factory, HealthCheckService healthChecks, TaskSignals signals, IOptions<TaskOptions> options,
    TimeProvider time, SecretProtector secrets)
{
    private TaskOptions Options => options.Value;

    /// <summary>Appends a batch of log lines (masked, bounded) and tells the agent whether to cancel.</summary>
    public async Task<LogBatchResponse?> AppendLogAsync(int machineId, long jobId, LogBatch batch, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var job = await db.MachineJobs.SingleOrDefaultAsync(j => j.Id == jobId && j.MachineId == machineId, cancellationToken);
        if (job is null)
        {
            return null;
        }
        var now = time.GetUtcNow();
        job.LastContactAt = now;
        // One write transaction for the contact and the lines, not two: writers take turns on SQLite.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TouchAsync(db, machineId, now, cancellationToken);
        var room = Math.Max(0, Options.MaxLogLinesPerJob - job.LogLineCount);
        var mask = new LogMask(await SensitiveValuesAsync(db, job, cancellationToken));
        var lines = batch.Lines.Take(room).Select(l => Line(job, l.At, l.Stream, Cut(mask.Apply(l.Text)))).ToList();
        if (batch.Lines.Count > room && job.LogLineCount <= Options.MaxLogLinesPerJob)
        {
            lines.Add(Line(job, now, LogStream.Error, $"[output truncated: only the first {Options.MaxLogLinesPerJob} lines are kept]"));
            job.LogLineCount = Options.MaxLogLinesPerJob + 1;
        }
        else
        {
            job.LogLineCount += lines.Count;
        }
        db.TaskLogLines.AddRange(lines);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (job.DeploymentId is { } deploymentId && lines.Count > 0)
        {
            signals.Logs.Notify(deploymentId);
        }
        if (job.HealthCheckRunId is { } runId && lines.Count > 0)
        {
            signals.HealthChecks.Notify(runId);
        }
        return new LogBatchResponse(job.CancelRequested);
    }

    /// <summary>Records how a job ended; false when the job is not this machine's.</summary>
    public async Task<bool> CompleteAsync(int machineId, long jobId, JobCompletion completion, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var job = await db.MachineJobs.SingleOrDefaultAsync(j => j.Id == jobId && j.MachineId == machineId, cancellationToken);
        if (job is null)
        {
            return false;
        }
        if (!job.IsFinished && await EndAsync(db, job, completion, cancellationToken) && job.Kind == AgentJobKind.HealthCheck)
        {
            await healthChecks.RecordAsync(job.Id, completion.Outcome, completion.ExitCode, cancellationToken);
        }
        if (job.DeploymentId is { } deploymentId)
        {
            signals.Deployments.Notify(deploymentId);
            signals.Logs.Notify(deploymentId);
        }
        return true;
    }

    /// <summary>
    /// Records the agent's outcome if the job is still open. Conditional: the server may have ended it since it was read
    /// (its agent judged lost, its deployment canceled, its machine deleted), and that verdict stands.
    /// </summary>
    private async Task<bool> EndAsync(AutoDeployDbContext db, MachineJob job, JobCompletion completion, CancellationToken cancellationToken)
    {
        var state = completion.Outcome switch
        {
            JobOutcome.Succeeded => JobState.Succeeded,
            JobOutcome.TimedOut => JobState.TimedOut,
            JobOutcome.Canceled => JobState.Canceled,
            _ => JobState.Failed,
        };
        var message = completion.Message ?? Describe(completion);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TouchAsync(db, job.MachineId, now, cancellationToken);
        var ended = await db.MachineJobs.Where(j => j.Id == job.Id && (j.State == JobState.Pending || j.State == JobState.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, state).SetProperty(j => j.ExitCode, completion.ExitCode)
                .SetProperty(j => j.Message, message).SetProperty(j => j.CompletedAt, now).SetProperty(j => j.LastContactAt, now),
                cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ended == 1;
    }

    /// <summary>The agent removes its machine: a MachineDeleted event; its unfinished jobs are canceled.</summary>
    /// <summary>The agent could not update itself: an event on its machine, the texts bounded here.</summary>
    public async Task ReportUpdateFailedAsync(int machineId, AgentUpdateFailure failure, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.Machines.SingleOrDefaultAsync(m => m.Id == machineId, cancellationToken) is not { } machine)
        {
            return;
        }
        machine.ReportAgentUpdateFailed(TextRules.Clean(failure.Version, 50), TextRules.Clean(failure.Reason, 1000));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task DeregisterAsync(int machineId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var machine = await db.Machines.SingleOrDefaultAsync(m => m.Id == machineId, cancellationToken);
        if (machine is null)
        {
            return;
        }
        var deployments = await MachineRemoval.StageAsync(db, machine, "deregistered by its agent", time.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        MachineRemoval.Wake(signals, deployments);
    }

    /// <summary>Any call of the agent is contact: it keeps the machine from being found unresponsive.</summary>
    private Task<int> TouchAsync(AutoDeployDbContext db, int machineId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stale = now - Options.LastSeenResolution;
        return db.Machines.Where(m => m.Id == machineId && (m.LastSeenAt == null || m.LastSeenAt < stale))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastSeenAt, now), cancellationToken);
    }

    private async Task<List<string>> SensitiveValuesAsync(AutoDeployDbContext db, MachineJob job, CancellationToken cancellationToken)
    {
        if (job.DeploymentId is null)
        {
            return [];
        }
        var variables = await db.Deployments.Where(d => d.Id == job.DeploymentId)
            .Join(db.Releases, d => d.ReleaseId, r => r.Id, (d, r) => r.Variables).SingleAsync(cancellationToken);
        return variables.Where(v => v.IsSensitive).Select(v => secrets.Reveal(v.Value)).ToList();
    }

    private static TaskLogLine Line(MachineJob job, DateTimeOffset at, LogStream stream, string text) => new()
    {
        DeploymentId = job.DeploymentId,
        HealthCheckRunId = job.HealthCheckRunId,
        JobId = job.Id,
        MachineId = job.MachineId,
        At = at,
        Stream = stream,
        Text = text,
    };

    /// <summary>
    /// A line as it can be kept on both databases: at most <see cref="TaskLogLine.MaxLength"/> characters, cut after
    /// masking (so a secret across the cut is masked whole, and a mask longer than its secret cannot overflow the
    /// column), and a NUL a script printed shown as U+FFFD (PostgreSQL refuses NUL in text).
    /// </summary>
    private static string Cut(string text)
    {
        text = text.Replace('\0', '\uFFFD');
        return text.Length <= TaskLogLine.MaxLength ? text : TextRules.Cut(text, TaskLogLine.MaxLength) + TaskLogLine.TruncatedMarker;
    }

    private static string Describe(JobCompletion completion) => completion.Outcome switch
    {
        JobOutcome.Succeeded => "The script succeeded.",
        JobOutcome.TimedOut => "The script was stopped at its timeout.",
        JobOutcome.Canceled => "The script was canceled.",
        _ => $"The script failed with exit code {completion.ExitCode}.",
    };
}
