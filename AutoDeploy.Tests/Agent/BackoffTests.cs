using AutoDeploy.Agent;

namespace AutoDeploy.Tests.Agent;

public sealed class BackoffTests
{
    [Fact]
    public void NextDelay_DoublesFromTheInitialDelayUpToTheMaximum_WithJitter()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));

        var delays = Enumerable.Range(0, 10).Select(_ => backoff.NextDelay().TotalSeconds).ToList();

        double[] expected = [0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30];
        Assert.All(delays.Zip(expected), d => Assert.InRange(d.First, d.Second * 0.8, Math.Min(d.Second * 1.2, 30)));
    }

    [Fact]
    public void Reset_StartsAgainFromTheInitialDelay()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));
        backoff.NextDelay();
        backoff.NextDelay();

        backoff.Reset();

        Assert.InRange(backoff.NextDelay().TotalSeconds, 0.4, 0.6);
    }
}
