using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Domain.Triggers;

public enum ReadinessState
{
    /// <summary>Every trigger that matches the machine has deployed what it should have, or nothing applies.</summary>
    Ready,

    /// <summary>A deployment is queued or running, or the engine has yet to decide (say, before the first health check).</summary>
    Waiting,

    /// <summary>The latest deployment of a release the machine should have failed on it.</summary>
    Failed,

    /// <summary>The engine gave up on a release for the machine after its retries.</summary>
    Blocked,
}

/// <summary>
/// What one trigger that matches the machine needs of it in one environment, as loaded from the database: the release
/// the machine should have (null: none has been deployed there yet, so nothing applies), and how far it got.
/// </summary>
public sealed record ReadinessNeed(string ProjectName, string TriggerName, string EnvironmentName, string? ReleaseVersion)
{
    /// <summary>The machine's latest successful deployment of the project brought that release.</summary>
    public bool Installed { get; init; }

    /// <summary>A queued or running deployment of the release that includes the machine.</summary>
    public int? PendingDeploymentId { get; init; }

    /// <summary>The latest deployment of the release to the machine, if it failed there and nothing is pending: why.</summary>
    public string? Failure { get; init; }

    /// <summary>The engine's reason, if its latest decision for the machine and this release was to block it.</summary>
    public string? Blocked { get; init; }
}

/// <summary>One need, judged.</summary>
public sealed record ReadinessItem(ReadinessState State, string ProjectName, string EnvironmentName, string? ReleaseVersion, string Reason);

/// <summary>The answer to "has this machine got everything it should have?": for the agent's wait-ready, the API and the machine page.</summary>
public sealed record MachineReadiness(ReadinessState State, string Summary, IReadOnlyList<ReadinessItem> Items);

/// <summary>Judges a machine's readiness from what its triggers need of it (pure: the loader reads the needs).</summary>
public static class Readiness
{
    public static MachineReadiness Judge(string machineName, MachineHealthStatus health, bool isEnabled, IReadOnlyList<ReadinessNeed> needs)
    {
        var items = needs.Select(Judge).ToList();
        var open = items.Where(i => i.State != ReadinessState.Ready).ToList();
        if (open.Count == 0)
        {
            return new MachineReadiness(ReadinessState.Ready, items.Count == 0
                ? $"'{machineName}' is ready: no enabled trigger matches it."
                : $"'{machineName}' is ready: {Join(items.Select(i => i.Reason))}.", items);
        }
        // The worst state answers for the machine: a failure or a block is worth knowing before anything still running ends.
        var state = open.Max(i => i.State);
        var held = !isEnabled ? $" The machine is disabled."
            : health is MachineHealthStatus.Unhealthy or MachineHealthStatus.Unavailable ? $" The machine is {health}."
            : health == MachineHealthStatus.Unknown ? " The machine has not had its first health check yet." : "";
        return new MachineReadiness(state, $"'{machineName}' is not ready: {Join(open.Where(i => i.State == state).Select(i => i.Reason))}.{held}",
            items);
    }

    private static ReadinessItem Judge(ReadinessNeed need)
    {
        var what = $"{need.ProjectName} {need.ReleaseVersion} in {need.EnvironmentName}";
        var (state, reason) = need switch
        {
            { ReleaseVersion: null } => (ReadinessState.Ready,
                $"no release of {need.ProjectName} has been deployed to {need.EnvironmentName} yet (trigger '{need.TriggerName}')"),
            { Installed: true } => (ReadinessState.Ready, $"{what} is installed"),
            { Blocked: { } blocked } => (ReadinessState.Blocked, $"{what} is blocked: {blocked}"),
            { PendingDeploymentId: { } id } => (ReadinessState.Waiting, $"{what} is being deployed (deployment #{id})"),
            { Failure: { } failure } => (ReadinessState.Failed, $"{what} failed: {failure}"),
            _ => (ReadinessState.Waiting, $"{what} is not deployed yet (trigger '{need.TriggerName}')"),
        };
        return new ReadinessItem(state, need.ProjectName, need.EnvironmentName, need.ReleaseVersion, reason);
    }

    /// <summary>At most <see cref="MostReasons"/> reasons in a summary, however many triggers match: the items hold them all.</summary>
    public const int MostReasons = 5;

    private static string Join(IEnumerable<string> reasons)
    {
        var list = reasons.ToList();
        var shown = string.Join("; ", list.Take(MostReasons));
        return list.Count > MostReasons ? $"{shown}; and {list.Count - MostReasons} more" : shown;
    }
}
