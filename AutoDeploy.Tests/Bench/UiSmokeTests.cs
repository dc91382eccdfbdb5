using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The UI benchmark with tiny sizes: both screens render rows in Chromium and go to the next page.</summary>
public sealed class UiSmokeTests
{
    [Fact]
    public async Task Both_screens_render_rows_and_go_to_the_next_page()
    {
        var rows = await UiBench.RunAsync(machines: 30, events: 1000, repeats: 1, TextWriter.Null);

        Assert.Equal(["Deployment targets (/machines)", "Audit log (/audit)"], rows.Select(r => r.Screen));
        Assert.All(rows, r => Assert.True(r.ColdFirstRows > TimeSpan.Zero && r.FirstRows.Count == 1));
        Assert.All(rows, r => Assert.Equal(1, r.NextPage.Count));
    }
}
