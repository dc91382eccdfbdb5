using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The UI benchmark with tiny sizes: every screen renders rows in Chromium, and those with pages go to the next.</summary>
public sealed class UiSmokeTests
{
    [Fact]
    public async Task Every_screen_renders_rows_and_those_with_pages_go_to_the_next()
    {
        var rows = await UiBench.RunAsync(machines: 30, events: 1000, repeats: 1, TextWriter.Null);

        Assert.Equal(["Deployment targets (/machines)", "Audit log (/audit)", "Activity (/activity)", "Fleet drift (/fleet)"],
            rows.Select(r => r.Screen));
        Assert.All(rows, r => Assert.True(r.ColdFirstRows > TimeSpan.Zero && r.FirstRows.Count == 1));
        Assert.Equal([1, 1, 0, 1], rows.Select(r => r.NextPage.Count));
    }
}
