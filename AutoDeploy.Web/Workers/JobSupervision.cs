using AutoDeploy.Domain.Deployments;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// What the server does about a deployment job that has not ended: passes on a cancel, finds its machine lost when
/// no agent picked it up or its agent went silent, and times it out when it outran its timeout. A silence does not count the time this
/// node itself was stalled since it began (<c>stalled</c>, see <see cref="ServerStalls"/>): its agent's calls waited unheard.
/// </summary>
public static class JobSupervision
{
    public static void Supervise(MachineJob job, bool cancel, TimeSpan stepTimeout, DateTimeOffset now, TaskOptions options,
        TimeSpan stalled = default)
    {
        if (job.State == JobState.Pending && cancel)
        {
            End(job, JobState.Canceled, "Canceled before the agent picked it up.", now);
        }
        else if (job.State == JobState.Pending && now - job.CreatedAt - stalled > options.PickupTimeout)
        {
            End(job, JobState.Lost, $"The machine's agent did not pick up the job within {options.PickupTimeout.TotalSeconds:0} s.", now);
        }
        else if (job.State == JobState.Running && now - job.LastContactAt - stalled > options.AgentLostAfter)
        {
            End(job, JobState.Lost, $"The agent stopped responding (no contact for {options.AgentLostAfter.TotalSeconds:0} s).", now);
        }
        else if (job.State == JobState.Running && now - job.StartedAt > stepTimeout + options.TimeoutGrace)
        {
            End(job, JobState.TimedOut, $"The step did not finish within its timeout of {stepTimeout.TotalSeconds:0} s.", now);
        }
        else if (job.State == JobState.Running && cancel)
        {
            job.CancelRequested = true;
        }
    }

    private static void End(MachineJob job, JobState state, string message, DateTimeOffset now)
    {
        job.State = state;
        job.Message = message;
        job.CompletedAt = now;
    }
}
