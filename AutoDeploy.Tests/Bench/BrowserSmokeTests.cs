using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The benchmarks that drive Chromium, with tiny sizes: both screens render and page; memory is sampled at each stage.</summary>
public sealed class BrowserSmokeTests
{
    [Fact]
    public async Task Both_screens_render_rows_and_go_to_the_next_page()
    {
        var rows = await UiBench.RunAsync(machines: 30, events: 1000, repeats: 1, TextWriter.Null);

        Assert.Equal(["Deployment targets (/machines)", "Audit log (/audit)"], rows.Select(r => r.Screen));
        Assert.All(rows, r => Assert.True(r.ColdFirstRows > TimeSpan.Zero && r.FirstRows.Count == 1));
        Assert.All(rows, r => Assert.Equal(1, r.NextPage.Count));
    }

    [Fact]
    public async Task Memory_is_sampled_idle_with_agents_and_with_circuits()
    {
        var rows = await MemoryBench.RunAsync(agents: 2, circuits: 2, settle: TimeSpan.FromMilliseconds(200), TextWriter.Null);

        Assert.Equal(3, rows.Count);
        Assert.StartsWith("2 agents connected", rows[1].State);
        Assert.StartsWith("+ 2 browser circuits", rows[2].State);
        Assert.All(rows, r => Assert.InRange(r.WorkingSet, 20L << 20, 8L << 30));
    }
}
