namespace AutoDeploy.Web.Workers;

/// <summary>The <c>Tasks</c> configuration section: how deployments run on agents.</summary>
public sealed class TaskOptions
{
    /// <summary>How long an agent's poll is held open when there is no work.</summary>
    public TimeSpan LongPoll { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A running job whose agent has not called for this long has lost its agent and fails.</summary>
    public TimeSpan AgentLostAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A job no agent has picked up for this long fails (the machine is not polling).</summary>
    public TimeSpan PickupTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Extra time past a step's own timeout before the server gives up on the agent reporting it.</summary>
    public TimeSpan TimeoutGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a waiting runner or the worker re-reads the database when nothing wakes it.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    public int MaxConcurrentDeployments { get; set; } = 10;

    /// <summary>Lines kept per job; the rest is dropped with a notice in the log.</summary>
    public int MaxLogLinesPerJob { get; set; } = 20_000;

    /// <summary>
    /// Agent calls using the database at once on a node (<see cref="Agents.AgentWorkGate"/>); a held poll waiting for
    /// work does not count.
    /// </summary>
    public int MaxConcurrentAgentWork { get; set; } = 64;

    /// <summary>A machine's last-seen time is written at most this often.</summary>
    public TimeSpan LastSeenResolution { get; set; } = TimeSpan.FromSeconds(10);
}
