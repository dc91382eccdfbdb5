using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The reaction benchmark with two real agents: it runs end to end and reports sane numbers (no timing limits).</summary>
public sealed class ReactionSmokeTests
{
    [Fact]
    public async Task Two_agents_are_both_deployed_and_timed()
    {
        var rows = await ReactionBench.RunAsync(new ReactionSettings([2], AgentKind.Runner, TimeSpan.FromSeconds(90), Waves: 1), TextWriter.Null);

        var row = Assert.Single(rows);
        Assert.Equal(2, row.Deployed);
        Assert.Equal(2, row.Total.Count);
        Assert.Equal(2, row.Server.HealthyToQueued.Count);
        Assert.Equal(2, row.Server.JobToClaimed.Count);
        Assert.InRange(row.Total.Min, TimeSpan.FromTicks(1), row.Total.Max);
        Assert.True(row.Registration.P50 < row.Total.P50, "registering is a part of the reaction, so it takes less");
        Assert.InRange(row.Deployments, 1, 2);
        Assert.True(row.Pool.ProcessCpu > TimeSpan.Zero && row.Pool.Wall > TimeSpan.Zero, "the wave's CPU and duration are measured");
        Assert.Contains("| 2 | 1 | 2 |", ReactionBench.Table(rows, AgentKind.Runner).ToMarkdown());
    }
}
