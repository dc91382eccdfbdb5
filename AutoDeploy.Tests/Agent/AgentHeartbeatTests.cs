using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Tests.Agent;

public sealed class AgentHeartbeatTests
{
    [Theory]
    [InlineData(30, 30, 3000)]
    [InlineData(3, 30, 750)]
    [InlineData(30, 2, 500)]
    [InlineData(0.2, 30, 100)]
    public void Four_calls_fit_in_the_shorter_silence_the_server_acts_on_within_the_bounds(double lostAfterSeconds, double unavailableAfterSeconds,
        int expectedMs)
    {
        var heartbeat = AgentHeartbeat.For(TimeSpan.FromSeconds(lostAfterSeconds), TimeSpan.FromSeconds(unavailableAfterSeconds));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), heartbeat);
    }
}
