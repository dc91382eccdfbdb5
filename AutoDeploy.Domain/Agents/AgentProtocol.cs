namespace AutoDeploy.Domain.Agents;

// The HTTP protocol between AutoDeploy.Agent and the server (docs/architecture.md §9). JSON in camelCase.
// Registration uses a user's API key (X-Api-Key); everything else the agent's own token
// (Authorization: Bearer <token>), which gives access to that machine's work only.
//
//   POST   /api/machines/register          RegistrationRequest -> 201 RegistrationResponse
//   POST   /api/agent/poll                 PollRequest -> 200 AgentJob | 204 (long poll, nothing to do)
//   POST   /api/agent/jobs/{id}/log        LogBatch -> 200 LogBatchResponse (tells the agent to cancel)
//   POST   /api/agent/jobs/{id}/complete   JobCompletion -> 204
//   DELETE /api/agent/registration         -> 204 (deregister: the machine is deleted)
// A wrong or revoked token is 401 with problem details; the agent says so and stops.

public sealed record RegistrationResponse(int MachineId, string Token);

public sealed record PollRequest(string AgentVersion);

public enum AgentJobKind
{
    /// <summary>Run a deployment step's bash script.</summary>
    RunScript,

    /// <summary>Run a health check: an empty script means connectivity only.</summary>
    HealthCheck,
}

/// <summary>
/// One unit of work for an agent: run this bash script with these environment variables. <paramref name="Heartbeat"/>
/// is how often the server wants to hear from the agent while the script runs without output (it judges a silent agent
/// lost after a few of them); null from an older server: the agent's own default.
/// </summary>
public sealed record AgentJob(
    long JobId,
    AgentJobKind Kind,
    string Name,
    string Script,
    IReadOnlyDictionary<string, string> Variables,
    int TimeoutSeconds,
    TimeSpan? Heartbeat = null);

public enum LogStream { Output, Error }

public sealed record LogLine(DateTimeOffset At, LogStream Stream, string Text);

public sealed record LogBatch(IReadOnlyList<LogLine> Lines);

public sealed record LogBatchResponse(bool CancelRequested);

public enum JobOutcome { Succeeded, Failed, TimedOut, Canceled }

/// <summary>How a job ended: the script's exit code, or why it did not finish.</summary>
public sealed record JobCompletion(JobOutcome Outcome, int? ExitCode, string? Message);

public static class AgentProtocol
{
    public const string Version = "1.0.0";

    /// <summary>How long the server holds a poll open when there is no work.</summary>
    public static readonly TimeSpan DefaultLongPoll = TimeSpan.FromSeconds(20);
}
