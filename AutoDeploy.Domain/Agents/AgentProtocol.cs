using System.Reflection;

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
//   POST   /api/agent/update-failed        AgentUpdateFailure -> 204 (an event on the machine)
//   GET    /api/agent/packages/{id}/{v}    -> 200/206 the package file of a job (Range resumes), X-Checksum-Sha256
// A poll's 204 may carry X-AutoDeploy-Agent-Update: <version>: the agent updates itself now, between jobs, from
// GET /api/agent-binaries and GET /agents/<runtime>/autodeploy-agent (SHA-256 checked), then restarts in place.
// A wrong or revoked token is 401 with problem details; the agent says so and stops.

public sealed record RegistrationResponse(int MachineId, string Token);

public sealed record PollRequest(string AgentVersion)
{
    /// <summary>What is wrong with the version, or null: the server refuses it with a 400, the same on both databases.</summary>
    public string? AgentVersionProblem() => AgentVersion switch
    {
        { Length: > Machines.Machine.MaxAgentVersionLength } => $"The agent version must be at most {Machines.Machine.MaxAgentVersionLength} characters.",
        { } text when text.Contains('\0') => "The agent version cannot contain the NUL character.",
        _ => null,
    };
}

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
/// lost after a few of them); null from an older server: the agent's own default. <paramref name="Package"/>: the
/// package to install first (a "Deploy a package" step); the script then runs in its folder.
/// </summary>
public sealed record AgentJob(
    long JobId,
    AgentJobKind Kind,
    string Name,
    string Script,
    IReadOnlyDictionary<string, string> Variables,
    int TimeoutSeconds,
    TimeSpan? Heartbeat = null,
    JobPackage? Package = null);

/// <summary>
/// A package version a job installs: downloaded from <see cref="Path"/> (relative to the server, the agent's token, HTTP
/// ranges), checked against <see cref="Sha256"/>, extracted into <c>&lt;apps&gt;/&lt;Project&gt;/&lt;PackageId&gt;/&lt;Version&gt;</c>;
/// then <c>#{Name}</c> in <paramref name="SubstituteInFiles"/> becomes the job's variable of that name.
/// </summary>
public sealed record JobPackage(string PackageId, string Version, Packages.PackageFormat Format, string Sha256, long Size, string Project,
    IReadOnlyList<string>? SubstituteInFiles = null, int KeepVersions = Policies.MachinePolicy.DefaultPackageVersionsToKeep)
{
    public string Path => $"api/agent/packages/{Uri.EscapeDataString(PackageId)}/{Uri.EscapeDataString(Version)}";
}

/// <summary>
/// What a poll answers, to both ends: a job, or none; and the agent version to update to now (between jobs), which
/// travels in <see cref="AgentProtocol.UpdateHeader"/>.
/// </summary>
public sealed record PollAnswer(AgentJob? Job, string? UpdateTo);

/// <summary>
/// One agent binary the server serves (<c>GET /api/agent-binaries</c>): the self-contained agent for a Linux
/// architecture, downloaded from <see cref="Path"/> (relative to the server's address) and checked by its SHA-256.
/// </summary>
public sealed record AgentBinary(string Runtime, string Architecture, string Version, string Sha256, long Size)
{
    public const string FileName = "autodeploy-agent";

    public string Path => $"agents/{Runtime}/{FileName}";
}

/// <summary>An agent told to update itself could not, and runs on as it was: why (bounded by the server).</summary>
public sealed record AgentUpdateFailure(string Version, string Reason);

public enum LogStream { Output, Error }

public sealed record LogLine(DateTimeOffset At, LogStream Stream, string Text);

public sealed record LogBatch(IReadOnlyList<LogLine> Lines);

public sealed record LogBatchResponse(bool CancelRequested);

public enum JobOutcome { Succeeded, Failed, TimedOut, Canceled }

/// <summary>How a job ended: the script's exit code, or why it did not finish (at most <see cref="MaxMessageLength"/>, no NUL).</summary>
public sealed record JobCompletion(JobOutcome Outcome, int? ExitCode, string? Message)
{
    public const int MaxMessageLength = Validation.TextRules.MaxMessageLength;

    /// <summary>What is wrong with the message, or null: the server refuses it with a 400, the same on both databases.</summary>
    public string? MessageProblem() => Message switch
    {
        { Length: > MaxMessageLength } => $"The message must be at most {MaxMessageLength} characters.",
        { } text when text.Contains('\0') => "The message cannot contain the NUL character.",
        _ => null,
    };

    /// <summary>This completion with its message cut to fit: an agent sends what the server takes.</summary>
    public JobCompletion Bounded() =>
        this with { Message = Message is null ? null : Validation.TextRules.Cut(Message.Replace('\0', '\uFFFD'), MaxMessageLength) };
}

public static class AgentProtocol
{
    /// <summary>
    /// The version of this build (Directory.Build.props' Version, without any +commit suffix): what an agent reports
    /// and what the server's agent binaries are. An agent built with an older one is updated when its policy says so.
    /// </summary>
    public static readonly string Version =
        (typeof(AgentProtocol).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0")
        .Split('+')[0];

    /// <summary>Whether <paramref name="agentVersion"/> (unknown counts as older) is older than <paramref name="serverVersion"/>.</summary>
    public static bool IsOlder(string? agentVersion, string serverVersion) =>
        !Releases.SemanticVersion.TryParse(agentVersion, out var agent)
        || (Releases.SemanticVersion.TryParse(serverVersion, out var server) && agent.CompareTo(server) < 0);

    /// <summary>
    /// The header on a poll's answer (204, no job) that tells an agent to update itself to this version now, between
    /// jobs: its policy says Automatically and it is older than the server's agent.
    /// </summary>
    public const string UpdateHeader = "X-AutoDeploy-Agent-Update";

    /// <summary>How long the server holds a poll open when there is no work.</summary>
    public static readonly TimeSpan DefaultLongPoll = TimeSpan.FromSeconds(20);
}
