using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Agent;

/// <summary>The agent loop's timings and limits; tests shorten them.</summary>
public sealed record AgentRunnerOptions
{
    /// <summary>First wait after the server failed to answer; doubles per failure up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for a long poll: comfortably above the ~20 s the server holds it open.</summary>
    public TimeSpan PollTimeout { get; init; } = AgentProtocol.DefaultLongPoll + TimeSpan.FromSeconds(40);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Output lines are sent at most this long after the first line of a batch was written.</summary>
    public TimeSpan LogFlushInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public int LogBatchMaxLines { get; init; } = 100;

    /// <summary>With no output, an empty batch goes this often, so the agent learns of a cancel.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Lines waiting to be sent; when full the script waits on its output (memory stays bounded).</summary>
    public int LogBufferLines { get; init; } = 1000;

    /// <summary>Where downloaded packages are cached by SHA-256 (default: <c>packages</c> in the agent's home).</summary>
    public string? PackageCacheFolder { get; init; }

    /// <summary>Where packages are extracted, as <c>&lt;project&gt;/&lt;package&gt;/&lt;version&gt;</c> (default: <c>apps</c> in the agent's home).</summary>
    public string? AppsFolder { get; init; }

    /// <summary>After Ctrl+C, how long the agent still tries to send the last output and report the job Canceled.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(5);
}
