using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// A job as the supervisor read it (its state, last contact and cancel flag), and what <see cref="JobSupervision"/>
/// made of it: written back only while the job is still in the state it was read in, and a failure for silence only
/// while no call of its agent came in since.
/// </summary>
public sealed record JobVerdict(MachineJob Job, JobState ReadState, DateTimeOffset? ReadContact, bool ReadCancel)
{
    public bool Changed => Job.State != ReadState || Job.CancelRequested != ReadCancel;

    /// <summary>1 when written, 0 when the job had moved on meanwhile.</summary>
    public Task<int> ApplyAsync(AutoDeployDbContext db, CancellationToken cancellationToken)
    {
        var job = Job;
        var asRead = db.MachineJobs.Where(j => j.Id == job.Id && j.State == ReadState);
        if (job.State == ReadState)
        {
            return asRead.ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, job.CancelRequested), cancellationToken);
        }
        if (job.State == JobState.Lost)
        {
            asRead = asRead.Where(j => j.LastContactAt == ReadContact);
        }
        return asRead.ExecuteUpdateAsync(s => s.SetProperty(j => j.State, job.State).SetProperty(j => j.Message, job.Message)
            .SetProperty(j => j.CompletedAt, job.CompletedAt), cancellationToken);
    }
}
