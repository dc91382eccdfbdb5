using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Validation;

namespace AutoDeploy.Domain.Deployments;

/// <summary>One line of a task's log: from a machine's script, or from the server about the task.</summary>
public sealed class TaskLogLine
{
    public const int MaxLength = 10_000;

    /// <summary>Ends a line that was cut at <see cref="MaxLength"/> (by the agent, or by the server after masking).</summary>
    public const string TruncatedMarker = " [line truncated]";

    /// <summary>
    /// A line the server composes, cut to <see cref="MaxLength"/>: whatever it names (a thousand machines, a long reason)
    /// never outgrows the column, which PostgreSQL enforces and SQLite does not.
    /// </summary>
    public static string Bound(string text) => TextRules.Cut(text, MaxLength);

    public long Id { get; set; }
    public int? DeploymentId { get; init; }
    public int? HealthCheckRunId { get; init; }
    public long? JobId { get; init; }
    public int? MachineId { get; init; }
    public DateTimeOffset At { get; init; }
    public LogStream Stream { get; init; }
    public string Text { get; init; } = "";
}
