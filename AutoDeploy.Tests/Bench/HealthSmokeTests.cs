using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The health benchmark with three machines and a one-second silence limit: every machine goes Unavailable, then is deleted.</summary>
public sealed class HealthSmokeTests
{
    [Fact]
    public async Task Stopped_agents_make_every_machine_unavailable_then_deleted()
    {
        var settings = new Dictionary<string, string?> { ["HealthChecks:UnavailableAfter"] = "00:00:01" };

        var row = await HealthBench.RunAsync(3, settings, TimeSpan.FromSeconds(60), TextWriter.Null);

        Assert.Equal(3, row.Unavailable);
        Assert.Equal(3, row.Deleted);
        Assert.True(row.FirstUnavailable > TimeSpan.Zero, $"first Unavailable {row.FirstUnavailable} after the agents stopped");
        Assert.True(row.FirstUnavailable <= row.AllUnavailable && row.AllUnavailable <= row.AllDeleted,
            $"{row.FirstUnavailable} ≤ {row.AllUnavailable} ≤ {row.AllDeleted}");
    }
}
