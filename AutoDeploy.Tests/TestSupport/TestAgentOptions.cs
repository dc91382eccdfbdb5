using AutoDeploy.Agent;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>An in-process agent's options for tests against a real server: quick retries, heartbeats and log flushes.</summary>
public static class TestAgentOptions
{
    public static readonly AgentRunnerOptions Fast = new()
    {
        RetryInitialDelay = TimeSpan.FromMilliseconds(50), RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        HeartbeatInterval = TimeSpan.FromMilliseconds(500), LogFlushInterval = TimeSpan.FromMilliseconds(100),
    };
}
