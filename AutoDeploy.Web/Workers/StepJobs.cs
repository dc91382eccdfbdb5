using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// A step runner's copy of its step's jobs. A job that has ended never changes again, so after a full read the copy
/// asks only about the jobs still open: on a wake-up (a job ended) which of them ended, every
/// <see cref="TaskOptions.RecheckInterval"/> how all of them stand (the agents' last contact, for the supervisor). With
/// 1,000 machines in a step, reading all of its jobs on every job's end was quadratic.
/// </summary>
public sealed class StepJobs(int deploymentId, int stepIndex, TimeProvider time, TimeSpan recheck)
{
    private readonly Dictionary<long, MachineJob> _jobs = [];
    private bool _stale = true;
    private DateTimeOffset _refreshed;

    /// <summary>The jobs as last read, in the order they were created.</summary>
    public List<MachineJob> All => [.. _jobs.Values.OrderBy(j => j.Id)];

    /// <summary>The next read reads every job of the step: after jobs were queued, or a verdict found one changed.</summary>
    public void Invalidate() => _stale = true;

    public async Task<List<MachineJob>> ReadAsync(AutoDeployDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var jobs = db.MachineJobs.AsNoTracking();
        var open = _jobs.Values.Where(j => !j.IsFinished).Select(j => j.Id).ToList();
        var refresh = _stale || now - _refreshed >= recheck;
        if (_stale)
        {
            jobs = jobs.Where(j => j.DeploymentId == deploymentId && j.StepIndex == stepIndex);
        }
        else if (open.Count == 0)
        {
            return All;
        }
        else
        {
            jobs = refresh ? jobs.Where(j => open.Contains(j.Id))
                : jobs.Where(j => open.Contains(j.Id) && j.State != JobState.Pending && j.State != JobState.Running);
        }
        var read = await jobs.ToListAsync(cancellationToken);
        if (_stale)
        {
            _jobs.Clear();
        }
        foreach (var job in read)
        {
            _jobs[job.Id] = job;
        }
        if (refresh)
        {
            (_stale, _refreshed) = (false, now);
        }
        return All;
    }
}
