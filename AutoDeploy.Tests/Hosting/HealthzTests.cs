using System.Net;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Hosting;

[Trait("Database", "App")]
public sealed class HealthzTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Healthz_on_a_reachable_sqlite_file_is_200_Healthy_without_signing_in()
    {
        var response = await _app.CreateClient().GetAsync("/healthz");

        Assert.Equal((HttpStatusCode.OK, "Healthy"), (response.StatusCode, await response.Content.ReadAsStringAsync()));
    }
}
