using System.Net;
using AutoDeploy.Tests.TestSupport;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Packages;

/// <summary>
/// Two nodes on one database and one shared package folder (on PostgreSQL in its pass): a package uploaded through one
/// is served by the other, and deleted through the other it is gone from both.
/// </summary>
[Trait("Database", "App")]
public sealed class PackagesTwoNodesTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _first = new();
    private readonly AutoDeployAppFactory _second = new();

    public Task InitializeAsync()
    {
        _first.Settings["Node:Name"] = "node-a";
        _first.CreateApiClient().Dispose();
        _second.Settings["Node:Name"] = "node-b";
        _second.Settings["ConnectionStrings:Default"] = _first.ConnectionString;
        _second.Settings["Packages:Folder"] = _first.PackagesFolder;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task A_package_uploaded_to_one_node_is_downloaded_and_deleted_through_the_other()
    {
        using var first = _first.CreateApiClient();
        using var second = _second.CreateApiClient();
        var zip = TestArchives.Zip(("index.html", "<h1>Shop</h1>"));

        Assert.Equal(HttpStatusCode.Created, (await first.PostAsync("/api/packages?fileName=shop.1.0.0.zip", TestArchives.Body(zip))).StatusCode);

        Assert.Equal(zip, await second.GetByteArrayAsync("/api/packages/shop/1.0.0/download"));
        Assert.Equal(HttpStatusCode.NoContent, (await second.DeleteAsync("/api/packages/shop/1.0.0")).StatusCode);
        await ProblemAsync(await first.GetAsync("/api/packages/shop/1.0.0/download"), HttpStatusCode.NotFound);
    }
}
