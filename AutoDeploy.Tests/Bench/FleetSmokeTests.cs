using AutoDeploy.Bench;
using AutoDeploy.Domain.Fleet;

namespace AutoDeploy.Tests.Bench;

/// <summary>The fleet benchmark with tiny sizes: every drift state is seeded, and each page is timed and has rows.</summary>
public sealed class FleetSmokeTests
{
    [Fact]
    public async Task Every_state_is_seeded_and_every_page_is_timed()
    {
        var result = await FleetBench.RunAsync(machines: 100, projects: 2, history: 500, repeats: 2, TextWriter.Null);

        Assert.All(Enum.GetValues<DriftState>(), state => Assert.True(result.Counts.Of(state) > 0, $"no row is {state}: {result.Counts}"));
        Assert.Equal(200, result.Counts.Total);
        Assert.Equal(6, result.Pages.Count);
        Assert.All(result.Pages, p => Assert.True(p.Rows > 0 && p.Time.Count == 2 && p.Time.Min > TimeSpan.Zero, p.ToString()));
        Assert.All(result.Pages.Where(p => p.Queries > 0), p => Assert.InRange(p.Queries, 5, 20));
    }
}
