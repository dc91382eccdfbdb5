using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// <c>POST /api/deployments/{id}/retry</c> with the real agent loop and real bash scripts on Kestrel: a deployment that
/// failed on some machines runs again on those only, as a new deployment linked to the first. Its subject is the retry's
/// rules; the runner on PostgreSQL is DeploymentProtocolTests' and RollingDeploymentTests', so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class DeploymentRetryApiTests : IAsyncLifetime
{
    private static readonly AgentRunnerOptions FastAgent = TestAgentOptions.Fast;

    private readonly AutoDeployAppFactory _app = new();
    private readonly CancellationTokenSource _stopAgents = new();
    private readonly List<Task<int>> _agents = [];
    private readonly DirectoryInfo _markers = Directory.CreateTempSubdirectory("autodeploy-retry-");
    private string _server = "";
    private HttpClient _api = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:02";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.200";
        _server = _app.StartOnKestrel();
        _api = new HttpClient { BaseAddress = new Uri(_server) };
        _api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        _scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
    }

    public async Task DisposeAsync()
    {
        await _stopAgents.CancelAsync();
        await Task.WhenAll(_agents);
        _api.Dispose();
        await _app.DisposeAsync();
        _markers.Delete(recursive: true);
    }

    [Fact]
    public async Task A_deployment_that_failed_on_one_machine_is_retried_on_that_machine_only_linked_both_ways()
    {
        var fixedMarker = Marker("fixed");
        await WithReleaseAsync($"if [ \"$AUTODEPLOY_MACHINE\" = web-02 ] && [ ! -f {fixedMarker} ]; then echo 'disk full' >&2; exit 3; fi\n" +
            "echo \"installed on $AUTODEPLOY_MACHINE by deployment $AUTODEPLOY_DEPLOYMENT_ID\"");
        await StartAgentAsync("web-01");
        var web02 = await StartAgentAsync("web-02");
        var first = await DeployAndWaitAsync();
        Assert.Equal(DeploymentState.Failed, first.Deployment.State);
        await File.WriteAllTextAsync(fixedMarker, "the disk was cleaned");

        var response = await _api.PostAsync($"/api/deployments/{first.Deployment.Id}/retry", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var retry = (await response.Content.ReadFromJsonAsync<DeploymentSummary>(ProtocolAgent.Json))!;
        Assert.Equal($"/api/deployments/{retry.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal((first.Deployment.Id, _scenario.Release.Id, _scenario.Environment.Id, first.Deployment.QueuedBy),
            (retry.RetryOfDeploymentId, retry.ReleaseId, retry.EnvironmentId, retry.QueuedBy));
        var ended = await _api.WaitForDeploymentEndAsync(retry.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(DeploymentState.Success, ended.Deployment.State);
        var machine = Assert.Single(ended.Machines);
        Assert.Equal((web02, TargetState.Success), (machine.MachineId, machine.State));
        var log = await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{retry.Id}/log", ProtocolAgent.Json);
        Assert.Contains($"installed on web-02 by deployment {retry.Id}", log!.Lines.Select(l => l.Text));
        var firstAgain = await _api.GetFromJsonAsync<DeploymentDetails>($"/api/deployments/{first.Deployment.Id}", ProtocolAgent.Json);
        Assert.Equal([retry.Id], firstAgain!.RetriedByDeploymentIds);
        Assert.Empty(ended.RetriedByDeploymentIds);
    }

    [Fact]
    public async Task The_retry_is_queued_with_an_event_that_names_the_deployment_it_retries()
    {
        await WithReleaseAsync("if [ \"$AUTODEPLOY_MACHINE\" = web-02 ]; then exit 3; fi");
        await StartAgentAsync("web-01");
        var web02 = await StartAgentAsync("web-02");
        var first = await DeployAndWaitAsync();

        var retry = await RetryAsync(first.Deployment.Id);

        var events = await _api.GetFromJsonAsync<EventsResponse>("/api/events?category=DeploymentQueued&take=1000", ProtocolAgent.Json);
        var queued = Assert.Single(events!.Events, e => e.DeploymentId == retry.Id);
        Assert.EndsWith($"queued by {first.Deployment.QueuedBy} as a retry of deployment {first.Deployment.Id} on its failed machines: web-02",
            queued.Message);
        Assert.Equal(first.Deployment.QueuedBy, queued.Actor);
        Assert.Equal(first.Deployment.Id, queued.Details!.Value.GetProperty("retryOfDeploymentId").GetInt32());
        Assert.Equal(web02, Assert.Single(queued.Details.Value.GetProperty("machineIds").EnumerateArray()).GetInt32());
    }

    [Fact]
    public async Task A_deployment_still_running_cannot_be_retried()
    {
        var go = Marker("go");
        await WithReleaseAsync($"echo started\nwhile [ ! -f {go} ]; do sleep 0.1; done\nexit 3");
        await StartAgentAsync("web-01");
        var deployment = await _api.DeployAsync(_scenario);
        await Eventually.TrueAsync(async () =>
            (await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{deployment.Id}/log", ProtocolAgent.Json))!.Lines.Any(l => l.Text == "started"));

        var response = await _api.PostAsync($"/api/deployments/{deployment.Id}/retry", null);

        var problem = await ProblemResponses.ProblemAsync<ProblemDetails>(response, HttpStatusCode.Conflict);
        Assert.Equal($"Deployment {deployment.Id} has not finished (Executing); retry it once it has ended.", problem.Detail);
        await File.WriteAllTextAsync(go, "");
        await _api.WaitForDeploymentEndAsync(deployment.Id, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_deployment_that_succeeded_everywhere_has_nothing_to_retry()
    {
        await WithReleaseAsync("echo fine");
        await StartAgentAsync("web-01");
        var deployment = await DeployAndWaitAsync();
        Assert.Equal(DeploymentState.Success, deployment.Deployment.State);

        var response = await _api.PostAsync($"/api/deployments/{deployment.Deployment.Id}/retry", null);

        var problem = await ProblemResponses.ProblemAsync<ProblemDetails>(response, HttpStatusCode.Conflict);
        Assert.Equal($"Deployment {deployment.Deployment.Id} has no machine that failed or timed out, so there is nothing to retry.", problem.Detail);
    }

    [Fact]
    public async Task A_second_retry_while_the_first_runs_is_a_conflict()
    {
        var retrying = Marker("retrying");
        var go = Marker("go");
        await WithReleaseAsync($"if [ ! -f {retrying} ]; then exit 3; fi\necho started\nwhile [ ! -f {go} ]; do sleep 0.1; done");
        await StartAgentAsync("web-01");
        var first = await DeployAndWaitAsync();
        await File.WriteAllTextAsync(retrying, "");
        var retry = await RetryAsync(first.Deployment.Id);

        var response = await _api.PostAsync($"/api/deployments/{first.Deployment.Id}/retry", null);

        var problem = await ProblemResponses.ProblemAsync<ProblemDetails>(response, HttpStatusCode.Conflict);
        Assert.Equal($"Deployment {first.Deployment.Id} is already being retried by deployment {retry.Id}; wait until that has ended.", problem.Detail);
        await File.WriteAllTextAsync(go, "");
        Assert.Equal(DeploymentState.Success, (await _api.WaitForDeploymentEndAsync(retry.Id, TimeSpan.FromSeconds(60))).Deployment.State);
    }

    [Fact]
    public async Task Failed_machines_deleted_since_are_left_out_and_with_none_left_the_retry_is_a_conflict()
    {
        await WithReleaseAsync("echo 'broken everywhere' >&2\nexit 3");
        var web01 = await StartAgentAsync("web-01");
        var web02 = await StartAgentAsync("web-02");
        var first = await DeployAndWaitAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync($"/api/machines/{web01}")).StatusCode);

        var retry = await RetryAsync(first.Deployment.Id);

        var ended = await _api.WaitForDeploymentEndAsync(retry.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(web02, Assert.Single(ended.Machines).MachineId);
        var events = await _api.GetFromJsonAsync<EventsResponse>("/api/events?category=DeploymentQueued&take=1000", ProtocolAgent.Json);
        Assert.EndsWith("on its failed machines: web-02; web-01 no longer exists and is left out",
            Assert.Single(events!.Events, e => e.DeploymentId == retry.Id).Message);

        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync($"/api/machines/{web02}")).StatusCode);
        var response = await _api.PostAsync($"/api/deployments/{first.Deployment.Id}/retry", null);

        var problem = await ProblemResponses.ProblemAsync<ProblemDetails>(response, HttpStatusCode.Conflict);
        Assert.Equal($"The failed machines of deployment {first.Deployment.Id} no longer exist (web-01, web-02), so there is nothing to retry.",
            problem.Detail);
    }

    [Fact]
    public async Task An_unknown_deployment_is_not_found()
    {
        var response = await _api.PostAsync("/api/deployments/987654/retry", null);

        var problem = await ProblemResponses.ProblemAsync<ProblemDetails>(response, HttpStatusCode.NotFound);
        Assert.Equal("Deployment 987654 does not exist.", problem.Detail);
    }

    [Fact]
    public async Task A_viewer_may_not_retry()
    {
        using var viewer = new HttpClient { BaseAddress = new Uri(_server) };
        viewer.DefaultRequestHeaders.Add("X-Api-Key", await _app.CreateViewerApiKeyAsync());

        var response = await viewer.PostAsync("/api/deployments/987654/retry", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private string Marker(string name) => Path.Combine(_markers.FullName, name);

    private Task WithReleaseAsync(string script) => _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web", script));

    /// <summary>A machine of role web in the scenario's environment served by a real agent loop; its id.</summary>
    private async Task<int> StartAgentAsync(string name)
    {
        var (id, token) = await _scenario.AddMachineAsync(name, "web");
        var runner = new AgentRunner(new AgentSettings(_server, id, name, token), new HttpClient(), TimeProvider.System, TextWriter.Null, FastAgent);
        // On the thread pool, as in its own process: not queued behind other tests on xunit's few threads.
        _agents.Add(Task.Run(() => runner.RunAsync(_stopAgents.Token)));
        return id;
    }

    private async Task<DeploymentDetails> DeployAndWaitAsync() =>
        await _api.WaitForDeploymentEndAsync((await _api.DeployAsync(_scenario)).Id, TimeSpan.FromSeconds(60));

    private async Task<DeploymentSummary> RetryAsync(int deploymentId)
    {
        var response = await _api.PostAsync($"/api/deployments/{deploymentId}/retry", null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DeploymentSummary>(ProtocolAgent.Json))!;
    }
}
