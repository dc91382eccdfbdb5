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
    /// "60 of 60 machine(s) did not succeed (58 timed out, 2 failed): web-01: …; web-02: …; and 50 more": the machines'
    /// reasons while they fit in about <see cref="ListedLength"/> characters, each cut to <see cref="ReasonLength"/>, so
    /// the summary stays far inside its column however many machines fail. Every machine keeps its whole reason in its
    /// own row (<see cref="DeploymentTarget.Reason"/>).
    /// </summary>
    private static string Summarize(List<DeploymentTarget> failed, int deployed)
    {
        var states = failed.GroupBy(t => t.State).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToList();
        var breakdown = states.Count > 1 ? $" ({string.Join(", ", states.Select(g => $"{g.Count()} {Describe(g.Key)}"))})" : "";
        var listed = new List<string>();
        var length = 0;
        foreach (var target in failed)
        {
            var item = TextRules.Cut($"{target.MachineName}: {target.Reason}", ReasonLength);
            if (listed.Count > 0 && length + item.Length > ListedLength)
            {
                break;
            }
            listed.Add(item);
            length += item.Length + 2;
        }
        var more = failed.Count - listed.Count;
        return $"{failed.Count} of {deployed} machine(s) did not succeed{breakdown}: {string.Join("; ", listed)}" +
               (more > 0 ? $"; and {more} more (each machine's reason is on the deployment)" : "");
    }

    private static string Describe(TargetState state) => state switch
    {
        TargetState.TimedOut => "timed out",
        _ => state.ToString().ToLowerInvariant(),
    };

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
