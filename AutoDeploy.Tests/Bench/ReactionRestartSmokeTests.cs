using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>
/// The reaction benchmark's cold-start shape: the server in its own process, restarted on its database before the second
/// wave; the first wave's agents reconnect and the second wave is deployed by the restarted server.
/// </summary>
public sealed class ReactionRestartSmokeTests
{
    [Fact]
    public async Task A_wave_after_a_restart_is_deployed_by_the_restarted_server()
    {
        var rows = await ReactionBench.RunAsync(new ReactionSettings([2], AgentKind.Protocol, TimeSpan.FromSeconds(90), Waves: 2,
            Shape: new ServerShape(OwnProcess: true), Restart: true), TextWriter.Null);

        Assert.Equal([1, 2], rows.Select(r => r.Wave));
        Assert.All(rows, r => Assert.Equal(2, r.Deployed));
        Assert.All(rows, r => Assert.True(r.Work.ServerCpuPerMachine > TimeSpan.Zero, "the server process's CPU is measured"));
    }
}
