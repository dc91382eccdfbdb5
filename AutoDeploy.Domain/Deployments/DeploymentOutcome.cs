namespace AutoDeploy.Domain.Deployments;

/// <summary>How a deployment and its machines end, judged from the results of their jobs.</summary>
public static class DeploymentOutcome
{
    /// <summary>
    /// Canceled when a cancel was asked for; otherwise Success when no machine failed, timed out or was canceled,
    /// TimedOut when every machine that did not succeed timed out, and Failed else, with a reason naming those machines.
    /// </summary>
    public static (DeploymentState State, string? Reason) Judge(bool cancelRequested, IReadOnlyCollection<DeploymentTarget> targets)
    {
        if (cancelRequested)
        {
            return (DeploymentState.Canceled, "canceled by request");
        }
        var failed = targets.Where(t => t.State is TargetState.Failed or TargetState.TimedOut or TargetState.Canceled).ToList();
        if (failed.Count == 0)
        {
            return (DeploymentState.Success, null);
        }
        var state = failed.All(t => t.State == TargetState.TimedOut) ? DeploymentState.TimedOut : DeploymentState.Failed;
        return (state, $"{failed.Count} of {targets.Count(t => t.State != TargetState.Skipped)} machine(s) did not succeed: " +
                       string.Join("; ", failed.Select(t => $"{t.MachineName}: {t.Reason}")));
    }

    /// <summary>What a machine's ended job of a step makes of the machine: null when it succeeded (the machine goes on).</summary>
    public static TargetState? TargetStateAfter(JobState job) => job switch
    {
        JobState.Succeeded => null,
        JobState.Canceled => TargetState.Canceled,
        JobState.TimedOut => TargetState.TimedOut,
        JobState.Failed => TargetState.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(job), job, "The job has not ended."),
    };
}
