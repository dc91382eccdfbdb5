using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The retention benchmark with a tiny table: it sweeps every old event in batches and the engine decides afterwards.</summary>
public sealed class RetentionSmokeTests
{
    [Fact]
    public async Task A_sweep_deletes_the_old_history_in_batches_and_the_engine_still_decides()
    {
        var row = await RetentionBench.RunAsync(events: 2000, batchSize: 300, TextWriter.Null);

        Assert.True(row.Deleted >= 2000 && row.Deleted <= row.Events, $"{row.Deleted} of {row.Events} deleted");
        Assert.True(row.EngineDecided, "the engine decided nothing about the machine that arrived after the sweep");
    }
}
