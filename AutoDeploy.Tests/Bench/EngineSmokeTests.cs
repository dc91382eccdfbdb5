using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The engine benchmarks with tiny sizes: idle passes find nothing to do, a burst is queued exactly once per machine.</summary>
public sealed class EngineSmokeTests
{
    [Fact]
    public async Task Idle_passes_are_timed_as_the_table_grows()
    {
        var rows = await EngineBench.RunIdleAsync([500, 1000], passes: 5, TextWriter.Null);

        Assert.Equal(2, rows.Count);
        Assert.True(rows[0].Events >= 500 && rows[1].Events >= 1000, $"events: {rows[0].Events}, {rows[1].Events}");
        Assert.All(rows, r => Assert.Equal(5, r.Pass.Count));
        Assert.All(rows, r => Assert.True(r.Pass.Min > TimeSpan.Zero));
    }

    [Fact]
    public async Task A_burst_queues_every_machine_once_over_all_triggers()
    {
        var row = await EngineBench.RunBurstAsync(events: 100, triggers: 2, history: 500, TextWriter.Null);

        Assert.Equal(100, row.MachinesQueued);
        // One decision per machine: the other trigger's project has no step for its role, so it does not concern the machine.
        Assert.Equal(100, row.Decisions);
        Assert.True(row.Deployments >= 2, $"{row.Deployments} deployments for 2 triggers");
        Assert.True(row.Passes >= 1 && row.EventsPerSecond > 0, $"{row.Passes} passes, {row.EventsPerSecond} events/s");
    }
}
