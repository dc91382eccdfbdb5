using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The idle benchmark with three agents: they connect, the idle window is measured, and all three are told of a job.</summary>
public sealed class IdleSmokeTests
{
    [Fact]
    public async Task Three_idle_agents_are_measured_and_each_is_told_of_a_job()
    {
        var row = await IdleBench.RunAsync(3, settle: TimeSpan.FromMilliseconds(200), window: TimeSpan.FromMilliseconds(500),
            new Dictionary<string, string>(), TextWriter.Null);

        Assert.Equal(3, row.Connected);
        Assert.Equal(3, row.TellCount);
        Assert.Equal(3, row.Told.Count);
        Assert.True(row.IdleCpu >= 0 && row.ConnectedWorkingSet > 0 && row.Queue > TimeSpan.Zero);
        Assert.Contains("| 3 | 3 |", IdleBench.Table([row]).ToMarkdown());
    }
}
