using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The memory benchmark with tiny sizes: the server process's working set is sampled idle, with agents and with a circuit.</summary>
public sealed class MemorySmokeTests
{
    [Fact]
    public async Task Memory_is_sampled_idle_with_agents_and_with_circuits()
    {
        var rows = await MemoryBench.RunAsync(agents: 2, circuits: 1, settle: TimeSpan.FromMilliseconds(200), TextWriter.Null);

        Assert.Equal(3, rows.Count);
        Assert.StartsWith("2 agents connected", rows[1].State);
        Assert.StartsWith("+ 1 browser circuits", rows[2].State);
        Assert.All(rows, r => Assert.InRange(r.WorkingSet, 20L << 20, 8L << 30));
    }
}
