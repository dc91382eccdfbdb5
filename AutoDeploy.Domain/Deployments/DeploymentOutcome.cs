using AutoDeploy.Domain.Validation;

namespace AutoDeploy.Domain.Deployments;

/// <summary>How a deployment and its machines end, judged from the results of their jobs.</summary>
public static class DeploymentOutcome
{
    /// <summary>About how much of a failure summary lists machines, and how much of each machine's reason it shows.</summary>
    private const int ListedLength = 1500;
    private const int ReasonLength = 300;

    /// <summary>
    /// Canceled when a cancel was asked for; otherwise Success when no machine failed, timed out or was canceled,
    /// TimedOut when every machine that did not succeed timed out, and Failed else, with a reason naming those machines.
    /// Machines skipped (at the start, or lost on the way when the project may skip them) do not fail it: see <see cref="Warn"/>.
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
        return (state, Summarize(failed, targets.Count(t => t.State != TargetState.Skipped)));
    }

    /// <summary>
    /// The warning of a deployment that skipped machines, "2 machine(s) skipped: web-03: …; web-07: …", bounded as a
    /// failure's summary is; null when it skipped none. Skipped machines do not have the release, so the engine deploys
    /// it to them when they come back.
    /// </summary>
    public static string? Warn(IReadOnlyCollection<DeploymentTarget> targets)
    {
        var skipped = targets.Where(t => t.State == TargetState.Skipped).ToList();
        return skipped.Count == 0 ? null : $"{skipped.Count} machine(s) skipped: {List(skipped)}";
    }

    /// <summary>
    /// "60 of 60 machine(s) did not succeed (58 timed out, 2 failed): web-01: …; web-02: …; and 50 more": the machines'
    /// reasons while they fit in about <see cref="ListedLength"/> characters, each cut to <see cref="ReasonLength"/>, so
    /// the summary stays far inside its column however many machines fail. Every machine keeps its whole reason in its
    /// own row (<see cref="DeploymentTarget.Reason"/>).
    /// </summary>
    private static string Summarize(List<DeploymentTarget> failed, int deployed)
    {
        var states = failed.GroupBy(t => t.State).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToList();
        var breakdown = states.Count > 1 ? $" ({string.Join(", ", states.Select(g => $"{g.Count()} {Describe(g.Key)}"))})" : "";
        return $"{failed.Count} of {deployed} machine(s) did not succeed{breakdown}: {List(failed)}";
    }

    /// <summary>The machines' reasons while they fit, then "and N more".</summary>
    private static string List(List<DeploymentTarget> targets)
    {
        var listed = new List<string>();
        var length = 0;
        foreach (var target in targets)
        {
            var item = TextRules.Cut($"{target.MachineName}: {target.Reason}", ReasonLength);
            if (listed.Count > 0 && length + item.Length > ListedLength)
            {
                break;
            }
            listed.Add(item);
            length += item.Length + 2;
        }
        var more = targets.Count - listed.Count;
        return string.Join("; ", listed) + (more > 0 ? $"; and {more} more (each machine's reason is on the deployment)" : "");
    }

    private static string Describe(TargetState state) => state switch
    {
        TargetState.TimedOut => "timed out",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The reason of a machine a rolling step never started (it stopped after a failure, or the deployment was canceled):
    /// "Not started in step 'Deploy': …". Such a machine did not run the step, so it does not have the release.
    /// </summary>
    public static string NotStarted(string stepName, string cause) => $"{NotStartedPrefix(stepName)} {cause}";

    /// <summary>Whether a machine's reason says a rolling step of that name never started it.</summary>
    public static bool WasNotStartedIn(string? reason, string stepName) =>
        reason?.StartsWith(NotStartedPrefix(stepName), StringComparison.Ordinal) == true;

    private static string NotStartedPrefix(string stepName) => $"Not started in step '{stepName}':";

    /// <summary>
    /// What a machine's ended job of a step makes of the machine: null when it succeeded (the machine goes on). A lost
    /// machine is Skipped when <paramref name="maySkipLost"/> (the project skips unavailable machines of its roles), else Failed.
    /// </summary>
    public static TargetState? TargetStateAfter(JobState job, bool maySkipLost = false) => job switch
    {
        JobState.Succeeded => null,
        JobState.Canceled => TargetState.Canceled,
        JobState.TimedOut => TargetState.TimedOut,
        JobState.Failed => TargetState.Failed,
        JobState.Lost => maySkipLost ? TargetState.Skipped : TargetState.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(job), job, "The job has not ended."),
    };
}
