using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The live feed benchmark with tiny sizes: every committed event reaches every open page, on both screens.</summary>
public sealed class FeedSmokeTests
{
    [Fact]
    public async Task Every_committed_event_is_seen_in_every_open_page()
    {
        var rows = await FeedBench.RunAsync(["/activity", "/"], [2], events: 2, TextWriter.Null);

        Assert.Equal(["/activity", "/"], rows.Select(r => r.Path));
        Assert.All(rows, r => Assert.Equal(4, r.Shown));
        Assert.All(rows, r => Assert.True(r.Commit.Min > TimeSpan.Zero, $"commit {r.Commit.Min}"));
    }
}
