using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.HealthChecks;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// <c>/api/machines/{id}/health-check</c>, <c>/api/environments/{id}/health-check</c> and <c>/api/health-checks/{id}</c>.
/// Its subject is the API and the agents' answers; health checks on PostgreSQL run in the agent protocol and readiness
/// tests, so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class HealthChecksApiTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _client = null!;
    private IDbContextFactory<AutoDeployDbContext> _database = null!;
    private DeploymentEnvironment _production = null!;
    private MachinePolicy _policy = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["HealthChecks:PickupTimeout"] = "00:00:01";
        _app.Settings["HealthChecks:TickInterval"] = "00:00:00.2";
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _client = _app.CreateApiClient();
        _database = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        _production = await _database.AddEnvironmentAsync("Production");
        _policy = await _database.AddPolicyAsync("Checks");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Post_on_a_machine_answers_202_with_the_run_and_its_location()
    {
        var machine = await _database.AddMachineAsync("web-01", [_production], _policy);

        var response = await _client.PostAsync($"/api/machines/{machine.Id}/health-check", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await response.Content.ReadFromJsonAsync<HealthCheckRunDetails>(ProtocolAgent.Json);
        Assert.Equal($"/api/health-checks/{run!.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(("Check health of web-01", DeploymentState.Executing), (run.Title, run.State));
        Assert.Equal(AutoDeployAppFactory.AdminEmail, run.RequestedBy);
    }

    [Fact]
    public async Task Post_on_an_environment_checks_each_of_its_machines()
    {
        await _database.AddMachineAsync("web-02", [_production], _policy);
        await _database.AddMachineAsync("web-01", [_production], _policy);

        var response = await _client.PostAsync($"/api/environments/{_production.Id}/health-check", null);

        var run = await response.Content.ReadFromJsonAsync<HealthCheckRunDetails>(ProtocolAgent.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["web-01", "web-02"], run!.Machines.Select(m => m.MachineName));
    }

    [Theory]
    [InlineData("/api/machines/404/health-check", "Machine 404 does not exist.")]
    [InlineData("/api/environments/404/health-check", "Environment 404 does not exist.")]
    public async Task Post_on_an_unknown_target_answers_404_problem_details(string path, string detail)
    {
        var response = await _client.PostAsync(path, null);

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(detail, problem.Detail);
    }

    [Theory]
    [InlineData("/api/health-checks/404")]
    [InlineData("/api/health-checks/404/log")]
    public async Task Get_of_an_unknown_run_answers_404_problem_details(string path)
    {
        var response = await _client.GetAsync(path);

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Health-check run 404 does not exist.", problem.Detail);
    }

    [Fact]
    public async Task Post_without_an_api_key_answers_401()
    {
        var machine = await _database.AddMachineAsync("web-01", [_production], _policy);

        var response = await _app.CreateClient().PostAsync($"/api/machines/{machine.Id}/health-check", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_viewer_can_read_a_run_but_not_start_one()
    {
        var machine = await _database.AddMachineAsync("web-01", [_production], _policy);
        var started = await _client.PostAsync($"/api/machines/{machine.Id}/health-check", null);
        var viewer = await _app.CreateViewerClientAsync();

        var start = await viewer.PostAsync($"/api/environments/{_production.Id}/health-check", null);
        var read = await viewer.GetAsync(started.Headers.Location);
        var log = await viewer.GetAsync($"{started.Headers.Location}/log");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.OK), (start.StatusCode, read.StatusCode, log.StatusCode));
    }

    [Fact]
    public async Task A_run_on_machines_whose_agents_do_not_poll_ends_Failed_once_the_pickup_timeout_passes()
    {
        await _database.AddMachineAsync("web-01", [_production], _policy);
        var started = await _client.PostAsync($"/api/environments/{_production.Id}/health-check", null);

        var run = await _client.WaitForHealthCheckEndAsync(started.Headers.Location!);

        Assert.Equal(DeploymentState.Failed, run.State);
        Assert.Equal("Failed: web-01 is Unavailable.", run.Summary);
        Assert.Equal(MachineHealthStatus.Unavailable, Assert.Single(run.Machines).HealthStatus);
    }

    [Fact]
    public async Task Log_pages_through_the_lines_after_a_line_id()
    {
        var machine = await _database.AddMachineAsync("web-01", [_production], _policy);
        var started = await _client.PostAsync($"/api/machines/{machine.Id}/health-check", null);
        await _client.WaitForHealthCheckEndAsync(started.Headers.Location!);

        var first = await _client.GetFromJsonAsync<LogPage>($"{started.Headers.Location}/log?take=1", ProtocolAgent.Json);
        var rest = await _client.GetFromJsonAsync<LogPage>($"{started.Headers.Location}/log?after={first!.NextAfter}", ProtocolAgent.Json);

        Assert.Equal("Checking 1 machine(s).", Assert.Single(first.Lines).Text);
        Assert.Equal(2, rest!.Lines.Count);
        Assert.Equal("Failed: web-01 is Unavailable.", rest.Lines[^1].Text);
        Assert.Null(rest.NextAfter);
    }

    [Fact]
    public async Task Machine_releases_lists_the_release_of_its_latest_successful_deployment()
    {
        var machine = await _database.AddMachineAsync("web-01", [_production], _policy);
        var deployment = await _database.AddSucceededDeploymentAsync(machine, _production, "Shop", "2.0.1");

        var releases = await _client.GetFromJsonAsync<List<MachineRelease>>($"/api/machines/{machine.Id}/releases", ProtocolAgent.Json);

        var release = Assert.Single(releases!);
        Assert.Equal(("Shop", "2.0.1", deployment.Id, "Production"),
            (release.ProjectName, release.ReleaseVersion, release.DeploymentId, release.EnvironmentName));
    }
}
