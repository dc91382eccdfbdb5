using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Releases;

namespace AutoDeploy.Domain.Policies;

/// <summary>The outcome of one health check: the status it gives the machine and why.</summary>
public sealed record HealthVerdict(MachineHealthStatus Status, string Summary);

/// <summary>How health checks are judged, and when machines are unavailable or due for clean-up. Pure functions of their inputs.</summary>
public static class HealthRules
{
    /// <summary>A script line in this form makes a passing check HasWarnings: <c>echo "##warning disk 91% full"</c>.</summary>
    public const string WarningPrefix = "##warning ";

    /// <summary>Judges a finished health-check job by its outcome, its output and the agent's version.</summary>
    public static HealthVerdict Evaluate(
        JobOutcome outcome, int? exitCode, IEnumerable<string> output, string? agentVersion, string serverAgentVersion, MachinePolicy policy)
    {
        switch (outcome)
        {
            case JobOutcome.Failed:
                return new HealthVerdict(MachineHealthStatus.Unhealthy, $"The health check script failed with exit code {exitCode}.");
            case JobOutcome.TimedOut:
                return new HealthVerdict(MachineHealthStatus.Unhealthy, "The health check script did not finish within its timeout.");
            case JobOutcome.Canceled:
                return new HealthVerdict(MachineHealthStatus.Unhealthy, "The health check was canceled.");
        }
        var warnings = output.Where(l => l.StartsWith(WarningPrefix, StringComparison.Ordinal))
            .Select(l => l[WarningPrefix.Length..].Trim()).ToList();
        // Automatically warns too while the agent is older: it is told once it has updated itself.
        if (policy.AgentVersionCheck != AgentVersionCheck.Ignore && AgentProtocol.IsOlder(agentVersion, serverAgentVersion))
        {
            warnings.Add($"The agent's version {agentVersion ?? "(unknown)"} is older than the server's {serverAgentVersion}.");
        }
        return warnings.Count == 0
            ? new HealthVerdict(MachineHealthStatus.Healthy, policy.HealthCheckType == HealthCheckType.RunScript
                ? "The health check script passed." : "The agent is connected.")
            : new HealthVerdict(MachineHealthStatus.HasWarnings, string.Join(" ", warnings));
    }

    /// <summary>
    /// An agent that has not called for <paramref name="grace"/> is unavailable; one that never called since
    /// registration gets the longer <paramref name="firstContactGrace"/> to start.
    /// </summary>
    public static bool IsUnresponsive(DateTimeOffset? lastSeenAt, DateTimeOffset registeredAt, DateTimeOffset now, TimeSpan grace,
        TimeSpan firstContactGrace) =>
        lastSeenAt is { } seen ? now - seen > grace : now - registeredAt > firstContactGrace;

    /// <summary>When the next scheduled check of a machine is due after one at <paramref name="checkedAt"/>.</summary>
    public static DateTimeOffset NextCheck(DateTimeOffset checkedAt, MachinePolicy policy) => checkedAt + policy.HealthCheckInterval;

    /// <summary>Whether the policy deletes a machine that has been unavailable since <paramref name="unavailableSince"/>.</summary>
    public static bool ShouldDelete(MachineHealthStatus status, DateTimeOffset? unavailableSince, MachinePolicy policy, DateTimeOffset now) =>
        status == MachineHealthStatus.Unavailable
        && policy.CleanupBehavior == CleanupBehavior.DeleteUnavailableMachines
        && unavailableSince is { } since
        && now - since >= policy.DeleteUnavailableAfter;

    /// <summary>Whether a machine that could not be checked fails a health-check task, or is skipped.</summary>
    public static bool FailsTaskWhenUnavailable(MachinePolicy policy) =>
        policy.ConnectivityBehavior == ConnectivityBehavior.ExpectedToBeOnline;
}
