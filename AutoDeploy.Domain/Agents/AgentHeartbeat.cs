namespace AutoDeploy.Domain.Agents;

/// <summary>How often the server asks an agent running a job to call, given the silences it acts on.</summary>
public static class AgentHeartbeat
{
    /// <summary>The agent's own default, and the longest interval the server asks for (a cancel waits for the next call).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Four calls fit in the shorter of the two silences (a running job's agent lost, a machine unavailable), so a
    /// single slow or lost call never makes a live agent look gone.
    /// </summary>
    public static TimeSpan For(TimeSpan agentLostAfter, TimeSpan unavailableAfter)
    {
        var quarter = (agentLostAfter < unavailableAfter ? agentLostAfter : unavailableAfter) / 4;
        return quarter > Longest ? Longest : quarter < Shortest ? Shortest : quarter;
    }
}
