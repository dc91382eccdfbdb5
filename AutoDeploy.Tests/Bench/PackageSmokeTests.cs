using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The package benchmark with tiny sizes: an upload, then two agents fetching one package at once, bytes checked.</summary>
public sealed class PackageSmokeTests
{
    [Fact]
    public async Task An_upload_and_a_fan_out_are_measured_and_every_agent_gets_the_whole_package()
    {
        var (upload, fanOut) = await PackageBench.RunAsync([2], packageBytes: 1 << 20, uploadBytes: 2 << 20, TextWriter.Null);

        Assert.InRange(upload.Bytes, 2 << 20, 3 << 20);
        Assert.InRange(upload.RssPeak, upload.RssBefore, 8L << 30);
        var row = Assert.Single(fanOut);
        Assert.Equal(2, row.Agents);
        Assert.Equal(0, row.Failed);
        Assert.True(row.HashMatched);
        Assert.Equal(2, row.Downloads.Count);
        Assert.Equal(2, PackageBench.Tables(upload, fanOut).Count);
    }
}
