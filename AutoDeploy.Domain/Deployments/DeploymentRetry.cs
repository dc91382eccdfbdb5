namespace AutoDeploy.Domain.Deployments;

/// <summary>
/// What a retry of a finished deployment runs on: its machines that failed or timed out and still exist (<see cref="Machines"/>),
/// the failed machines left out because they were deleted since (<see cref="Gone"/>), or why it cannot be retried.
/// </summary>
public sealed record RetryPlan(Deployment Of, IReadOnlyList<DeploymentTarget> Machines, IReadOnlyList<DeploymentTarget> Gone, string? Refusal)
{
    public bool CanRetry => Refusal is null;

    public IReadOnlyList<int> MachineIds => Machines.Select(m => m.MachineId).ToList();

    /// <summary>"web-02, web-05; web-07 no longer exists and is left out": the machines, for an event or a message.</summary>
    public string Describe()
    {
        var machines = string.Join(", ", Machines.Select(m => m.MachineName));
        return Gone.Count switch
        {
            0 => machines,
            1 => $"{machines}; {Gone[0].MachineName} no longer exists and is left out",
            _ => $"{machines}; {string.Join(", ", Gone.Select(m => m.MachineName))} no longer exist and are left out",
        };
    }
}

/// <summary>Retrying a finished deployment on its failed machines only, as a new deployment of the same release to the same environment.</summary>
public static class DeploymentRetry
{
    /// <summary>Whether a retry runs again on a machine that ended so: failed or timed out; not succeeded, skipped or canceled.</summary>
    public static bool Retries(TargetState state) => state is TargetState.Failed or TargetState.TimedOut;

    /// <summary>
    /// The machines a retry of <paramref name="deployment"/> runs on. Refused while it has not finished, while a retry of it has
    /// not finished either (a second click or call would deploy them twice), when no machine of it failed or timed out, and
    /// when every such machine has been deleted since (<paramref name="existingMachineIds"/> are those that still exist).
    /// </summary>
    public static RetryPlan Plan(Deployment deployment, IEnumerable<DeploymentTarget> targets, IReadOnlySet<int> existingMachineIds,
        IReadOnlyCollection<int> unfinishedRetryIds)
    {
        if (!deployment.State.IsFinished())
        {
            return Refuse(deployment, $"Deployment {deployment.Id} has not finished ({deployment.State}); retry it once it has ended.");
        }
        if (unfinishedRetryIds.Count > 0)
        {
            return Refuse(deployment, $"Deployment {deployment.Id} is already being retried by deployment " +
                $"{string.Join(", ", unfinishedRetryIds.Order())}; wait until that has ended.");
        }
        var failed = targets.Where(t => t.DeploymentId == deployment.Id && Retries(t.State)).OrderBy(t => t.MachineName, StringComparer.Ordinal).ToList();
        if (failed.Count == 0)
        {
            return Refuse(deployment, $"Deployment {deployment.Id} has no machine that failed or timed out, so there is nothing to retry.");
        }
        var machines = failed.Where(t => existingMachineIds.Contains(t.MachineId)).ToList();
        var gone = failed.Where(t => !existingMachineIds.Contains(t.MachineId)).ToList();
        if (machines.Count == 0)
        {
            return Refuse(deployment, $"The failed machines of deployment {deployment.Id} no longer exist " +
                $"({string.Join(", ", gone.Select(t => t.MachineName))}), so there is nothing to retry.");
        }
        return new RetryPlan(deployment, machines, gone, null);
    }

    private static RetryPlan Refuse(Deployment deployment, string refusal) => new(deployment, [], [], refusal);
}
