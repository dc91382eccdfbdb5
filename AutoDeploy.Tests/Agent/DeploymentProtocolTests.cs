using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary>Deployments through the REST API, run by the TaskWorker on agents that speak the protocol over HTTP.</summary>
[Trait("Database", "App")]
public sealed class DeploymentProtocolTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _api = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        _app.Settings["Tasks:MaxLogLinesPerJob"] = "5";
        _api = _app.CreateApiClient();
        _scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_two_step_deployment_runs_on_the_agent_and_records_the_release_on_the_machine()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"), DeploymentScenario.Step("Smoke test", "web"));
        var (machineId, token) = await _scenario.AddMachineAsync("web-01", "web");
        var agent = Agent(token);

        var deployment = await _api.DeployAsync(_scenario);
        var first = await agent.NextJobAsync();
        await agent.LogAsync(first.JobId, "installing with s3cret");
        await agent.CompleteAsync(first.JobId, JobOutcome.Succeeded, 0);
        var second = await agent.NextJobAsync();
        await agent.CompleteAsync(second.JobId, JobOutcome.Succeeded, 0);
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(DeploymentState.Success, details.Deployment.State);
        var machine = Assert.Single(details.Machines);
        Assert.Equal(TargetState.Success, machine.State);
        Assert.Equal(["Install", "Smoke test"], machine.Steps.Select(s => s.StepName));
        Assert.Equal("Install", first.Name);
        Assert.Equal("1.0.0", first.Variables["AUTODEPLOY_RELEASE"]);
        Assert.Equal("web-01", first.Variables["AUTODEPLOY_MACHINE"]);
        Assert.Equal("s3cret", first.Variables["DB_PASSWORD"]);
        var log = await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{deployment.Id}/log", ProtocolAgent.Json);
        Assert.Contains(log!.Lines, l => l.Text == "installing with ********");
        Assert.DoesNotContain(log.Lines, l => l.Text.Contains("s3cret"));
        var releases = await _api.GetFromJsonAsync<List<MachineRelease>>($"/api/machines/{machineId}/releases", ProtocolAgent.Json);
        Assert.Equal("1.0.0", Assert.Single(releases!).ReleaseVersion);
    }

    [Fact]
    public async Task Output_past_the_per_job_limit_is_dropped_with_one_visible_notice()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Chatty", "web"));
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");
        var agent = Agent(token);
        var deployment = await _api.DeployAsync(_scenario);
        var job = await agent.NextJobAsync();

        await agent.LogAsync(job.JobId, "1", "2", "3");
        await agent.LogAsync(job.JobId, "4", "5", "6", "7");
        await agent.LogAsync(job.JobId, "8");
        await agent.CompleteAsync(job.JobId, JobOutcome.Succeeded, 0);
        await _api.WaitForDeploymentEndAsync(deployment.Id);

        var log = await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{deployment.Id}/log", ProtocolAgent.Json);
        var output = log!.Lines.Where(l => l.JobId == job.JobId).Select(l => l.Text).ToList();
        Assert.Equal(["1", "2", "3", "4", "5", "[output truncated: only the first 5 lines are kept]"], output);
    }

    [Fact]
    public async Task A_failing_script_fails_its_machine_and_the_deployment_with_the_exit_code()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"), DeploymentScenario.Step("Never", "web"));
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");
        var agent = Agent(token);

        var deployment = await _api.DeployAsync(_scenario);
        var job = await agent.NextJobAsync();
        await agent.CompleteAsync(job.JobId, JobOutcome.Failed, 3);
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(DeploymentState.Failed, details.Deployment.State);
        var machine = Assert.Single(details.Machines);
        Assert.Equal(TargetState.Failed, machine.State);
        Assert.Contains("exit code 3", machine.Reason);
        Assert.Single(machine.Steps);
    }

    [Fact]
    public async Task Cancel_reaches_the_agent_through_its_log_call_and_ends_the_deployment_canceled()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Long", "web", "sleep 600"));
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");
        var agent = Agent(token);
        var deployment = await _api.DeployAsync(_scenario);
        var job = await agent.NextJobAsync();

        var cancel = await _api.PostAsync($"/api/deployments/{deployment.Id}/cancel", null);
        await Eventually.TrueAsync(async () => (await agent.LogAsync(job.JobId)).CancelRequested);
        await agent.CompleteAsync(job.JobId, JobOutcome.Canceled, null);
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(DeploymentState.Canceled, details.Deployment.State);
        Assert.Equal(TargetState.Canceled, Assert.Single(details.Machines).State);
    }

    [Fact]
    public async Task Deploying_where_no_machine_has_a_step_role_is_a_400_naming_the_roles()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        await _scenario.AddMachineAsync("worker-01", "worker");

        var response = await _api.PostAsJsonAsync("/api/deployments", new DeployRequest(_scenario.Release.Id, _scenario.Environment.Id, null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("roles web", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_token_is_401_with_problem_details()
    {
        var response = await Agent("not-a-token").SendAsync(HttpMethod.Post, "/api/agent/poll", new PollRequest("1.0.0"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("deregistered", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_agent_cannot_touch_another_machines_job()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");
        var (_, otherToken) = await _scenario.AddMachineAsync("web-02", "db");
        await _api.DeployAsync(_scenario);
        var job = await Agent(token).NextJobAsync();

        var response = await Agent(otherToken).SendAsync(HttpMethod.Post, $"/api/agent/jobs/{job.JobId}/complete",
            new JobCompletion(JobOutcome.Succeeded, 0, null));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_deployment_in_which_a_hundred_machines_fail_ends_Failed_with_a_summary_and_each_machines_whole_reason()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        var agents = new List<ProtocolAgent>();
        for (var i = 1; i <= 100; i++)
        {
            agents.Add(Agent((await _scenario.AddMachineAsync($"web-{i:000}", "web")).Token));
        }
        var deployment = await _api.DeployAsync(_scenario);
        var longest = new string('x', JobCompletion.MaxMessageLength);

        foreach (var agent in agents)
        {
            var job = await agent.NextJobAsync();
            await agent.CompleteAsync(job.JobId, JobOutcome.Failed, 1, longest);
        }
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(DeploymentState.Failed, details.Deployment.State);
        Assert.StartsWith("100 of 100 machine(s) did not succeed: web-", details.Deployment.FailureReason);
        Assert.EndsWith("more (each machine's reason is on the deployment)", details.Deployment.FailureReason);
        Assert.Equal(100, details.Machines.Count(m => m.State == TargetState.Failed));
        Assert.All(details.Machines, m => Assert.StartsWith("Step 'Install': xxxx", m.Reason));
        Assert.All(details.Machines, m => Assert.Equal(longest, Assert.Single(m.Steps).Message));
    }

    [Theory]
    [InlineData(4001, false)]
    [InlineData(10, true)]
    public async Task A_completion_message_too_long_or_with_NUL_is_400_naming_the_message(int length, bool withNul)
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");
        await _api.DeployAsync(_scenario);
        var agent = Agent(token);
        var job = await agent.NextJobAsync();
        var message = new string('x', length) + (withNul ? "\0" : "");

        var response = await agent.SendAsync(HttpMethod.Post, $"/api/agent/jobs/{job.JobId}/complete", new JobCompletion(JobOutcome.Failed, 1, message));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.Equal(["message"], problem!.Errors.Keys);
    }

    [Fact]
    public async Task Log_lines_with_NUL_or_over_the_limit_are_kept_shown_and_cut()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");
        var deployment = await _api.DeployAsync(_scenario);
        var agent = Agent(token);
        var job = await agent.NextJobAsync();

        await agent.LogAsync(job.JobId, "binary\0output", new string('y', TaskLogLine.MaxLength + 50));
        await agent.CompleteAsync(job.JobId, JobOutcome.Succeeded, 0);
        await _api.WaitForDeploymentEndAsync(deployment.Id);

        var log = await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{deployment.Id}/log", ProtocolAgent.Json);
        var lines = log!.Lines.Where(l => l.JobId == job.JobId).Select(l => l.Text).ToList();
        Assert.Equal("binary\uFFFDoutput", lines[0]);
        Assert.EndsWith("… [line truncated]", lines[1]);
        Assert.Equal(TaskLogLine.MaxLength + " [line truncated]".Length, lines[1].Length);
    }

    // Here, not beside the silent agents: under their one-second lost-agent limit a loaded machine judged these machines
    // lost before their deletion was seen (a CI run failed so).
    [Fact]
    public async Task Machines_deleted_mid_step_are_skipped_only_within_the_roles_the_project_skips()
    {
        var step = new DeploymentStep { Name = "Install", Roles = ["web", "db"], Script = "echo hi", Timeout = TimeSpan.FromMinutes(1) };
        await _scenario.WithReleaseAsync(new ConnectivitySettings { SkipUnavailableMachines = true, SkipUnavailableRoles = ["web"] }, step);
        var (webId, webToken) = await _scenario.AddMachineAsync("web-01", "web");
        var (dbId, dbToken) = await _scenario.AddMachineAsync("db-01", "db");
        var deployment = await _api.DeployAsync(_scenario);
        await new ProtocolAgent(_app.CreateClient(), webToken).NextJobAsync();
        await new ProtocolAgent(_app.CreateClient(), dbToken).NextJobAsync();

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await _api.DeleteAsync($"/api/machines/{webId}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await _api.DeleteAsync($"/api/machines/{dbId}")).StatusCode);
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(DeploymentState.Failed, details.Deployment.State);
        var web = details.Machines.Single(m => m.MachineId == webId);
        var db = details.Machines.Single(m => m.MachineId == dbId);
        Assert.Equal((TargetState.Skipped, TargetState.Failed), (web.State, db.State));
        Assert.Contains("The machine was deleted", web.Reason);
        Assert.Contains("The machine was deleted", db.Reason);
        Assert.StartsWith("1 of 1 machine(s) did not succeed: db-01: ", details.Deployment.FailureReason);
        Assert.StartsWith("1 machine(s) skipped: web-01: ", details.Deployment.Warning);
    }

    private ProtocolAgent Agent(string token) => new(_app.CreateClient(), token);
}
