using System.Net;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Audit;

[Trait("Database", "App")]
public sealed class AuditLogAccessTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_audit_log_sends_an_anonymous_visitor_to_sign_in_keeping_the_filter()
    {
        var client = _app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/audit?category=MachineDisabled");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2Faudit%3Fcategory%3DMachineDisabled", response.Headers.Location!.PathAndQuery);
    }
}
