using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// What a script asks about the engine and the fleet: the engine's decisions per machine and trigger, the trigger preview,
/// and deployments by machine and state with the node that ran them. Its subject is the API; the engine's decisions on
/// PostgreSQL are TwoEnginesPostgresTests', so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class DecisionsApiTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _client = null!;
    private IDbContextFactory<AutoDeployDbContext> _database = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _client = _app.CreateApiClient();
        _database = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        _scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_machine_the_engine_deployed_to_has_a_Queued_decision_on_it_and_on_its_trigger()
    {
        await _scenario.WithSuccessfulDeploymentAndTriggerAsync();
        var machineId = await _scenario.AddHealthyMachineAsync("web-01");

        List<DecisionAnswer>? decisions = null;
        await Eventually.TrueAsync(async () =>
        {
            decisions = await _client.GetFromJsonAsync<List<DecisionAnswer>>($"/api/machines/{machineId}/decisions");
            return decisions!.Count > 0;
        }, because: () => "the engine decided nothing about the machine");

        var decision = Assert.Single(decisions!);
        Assert.Equal(("Queued", "web-01"), (decision.Kind, decision.MachineName));
        Assert.NotNull(decision.DeploymentId);
        var onTrigger = await _client.GetFromJsonAsync<List<DecisionAnswer>>($"/api/triggers/{decision.TriggerId}/decisions");
        Assert.Equal(decision.EventId, Assert.Single(onTrigger!).EventId);
    }

    [Fact]
    public async Task Decisions_of_unknown_ids_are_404_and_a_page_out_of_range_is_400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/machines/987654/decisions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/triggers/987654/decisions")).StatusCode);
        var (machineId, _) = await _scenario.AddMachineAsync("web-01", "web");
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/machines/{machineId}/decisions?take=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/machines/{machineId}/decisions?before=-1")).StatusCode);
    }

    [Fact]
    public async Task The_preview_tells_which_machine_already_has_the_release_and_which_would_get_it_and_writes_nothing()
    {
        var (first, token) = await _scenario.AddMachineAsync("web-01", "web");
        await DeployToTheFirstMachineAsync(token);
        var (second, _) = await _scenario.AddMachineAsync("web-02", "web");
        var before = await CountDeploymentsAsync();

        var response = await _client.PostAsJsonAsync($"/api/projects/{_scenario.Project.Id}/triggers/preview",
            new { trigger = new { name = "Web", roles = new[] { "web" }, eventGroups = new[] { "MachineAvailableForDeployment" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = (await response.Content.ReadFromJsonAsync<TriggerPreviewAnswer>(ProtocolAgent.Json))!;
        Assert.Equal([(first, DecisionKind.AlreadyInstalled), (second, DecisionKind.Queued)],
            preview.Decisions.OrderBy(d => d.MachineId).Select(d => (d.MachineId, d.Kind)));
        Assert.Equal(["web-02"], Assert.Single(preview.Deployments).MachineNames);
        Assert.Equal(before, await CountDeploymentsAsync());
    }

    [Fact]
    public async Task The_preview_refuses_an_event_that_is_not_a_machines_and_machines_outside_the_trigger()
    {
        var elsewhere = await new DeploymentScenario(_database).WithEnvironmentAsync("Other");
        var (other, _) = await elsewhere.AddMachineAsync("db-01", "db");

        var response = await _client.PostAsJsonAsync($"/api/projects/{_scenario.Project.Id}/triggers/preview", new
        {
            trigger = new { name = "Web", environmentIds = new[] { _scenario.Environment.Id } },
            category = "DeploymentQueued",
            machineIds = new[] { other },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["category", "machineIds"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.NotFound,
            (await _client.PostAsJsonAsync("/api/projects/987654/triggers/preview", new { trigger = new { name = "Web" } })).StatusCode);
    }

    [Fact]
    public async Task Deployments_filter_by_machine_and_state_and_show_the_node_that_ran_them()
    {
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");
        var deployed = await DeployToTheFirstMachineAsync(token);
        var (second, _) = await _scenario.AddMachineAsync("web-02", "web");

        var onFirst = await ListAsync($"machineId={deployed.Machines[0].MachineId}&state=success");
        var onSecond = await ListAsync($"machineId={second}");

        var summary = Assert.Single(onFirst);
        Assert.Equal(deployed.Deployment.Id, summary.Id);
        Assert.False(string.IsNullOrEmpty(summary.ExecutingNode));
        Assert.Empty(onSecond);
        Assert.Empty(await ListAsync("state=Failed"));
        var refused = await _client.GetAsync("/api/deployments?state=Exploded");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Queued", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("state")[0].GetString());
    }

    /// <summary>Deploys the release to the environment's one machine, whose agent succeeds; returns the finished deployment.</summary>
    private async Task<DeploymentDetails> DeployToTheFirstMachineAsync(string token)
    {
        var deployment = await _client.DeployAsync(_scenario);
        var agent = new ProtocolAgent(_app.CreateClient(), token);
        var job = await agent.NextJobAsync();
        Assert.Equal(AgentJobKind.RunScript, job.Kind);
        await agent.CompleteAsync(job.JobId, JobOutcome.Succeeded, 0);
        var finished = await _client.WaitForDeploymentEndAsync(deployment.Id);
        Assert.Equal(DeploymentState.Success, finished.Deployment.State);
        return finished;
    }

    private async Task<List<DeploymentSummary>> ListAsync(string query) =>
        (await _client.GetFromJsonAsync<List<DeploymentSummary>>($"/api/deployments?{query}", ProtocolAgent.Json))!;

    private async Task<int> CountDeploymentsAsync()
    {
        await using var db = await _database.CreateDbContextAsync();
        return await db.Deployments.CountAsync();
    }
}
