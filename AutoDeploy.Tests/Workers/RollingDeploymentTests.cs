using System.Net.Http.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Workers;

/// <summary>
/// Rolling steps with the real agent loop and real bash scripts over HTTP. Each script notes "start" and "end" with its
/// machine in a shared file, and waits for a gate file the test creates: an end is written before its agent reports the
/// job, and the next machine is queued only after that report, so the file's order is the order things happened in and
/// how many were running at once can be read from it, however fast or slow the machine.
/// </summary>
[Trait("Database", "App")]
public sealed class RollingDeploymentTests : IAsyncLifetime
{
    private static readonly AgentRunnerOptions FastAgent = TestAgentOptions.Fast;

    private readonly AutoDeployAppFactory _app = new();
    private readonly CancellationTokenSource _stopAgents = new();
    private readonly List<Task<int>> _agents = [];
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("autodeploy-rolling-");
    private IDbContextFactory<AutoDeployDbContext> _factory = null!;
    private string _server = "";
    private HttpClient _api = null!;
    private DeploymentScenario _scenario = null!;

    private string Notes => Path.Combine(_folder.FullName, "notes");

    private string Gate => Path.Combine(_folder.FullName, "gate");

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:02";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.200";
        _server = _app.StartOnKestrel();
        _api = new HttpClient { BaseAddress = new Uri(_server) };
        _api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        _factory = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        _scenario = await new DeploymentScenario(_factory).WithEnvironmentAsync();
    }

    public async Task DisposeAsync()
    {
        await _stopAgents.CancelAsync();
        await Task.WhenAll(_agents);
        _api.Dispose();
        await _app.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Theory]
    [InlineData(2, false, 2)]
    [InlineData(50, true, 3)]
    public async Task A_rolling_step_runs_on_its_window_of_machines_at_a_time_and_starts_the_next_as_one_ends(int size, bool percent, int window)
    {
        await _scenario.WithReleaseAsync(null, Rolling(new RollingWindow(size, percent)));
        await StartAgentsAsync(5);

        var deployment = await _api.DeployAsync(_scenario);
        await Eventually.TrueAsync(() => Task.FromResult(Started() == window), because: () => Read(Notes));
        var queued = await JobsAsync(deployment.Id);
        var shown = (await DetailsAsync(deployment.Id)).Steps.Single();
        File.WriteAllText(Gate, "go");
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id, TimeSpan.FromSeconds(90));

        Assert.Equal(window, queued.Count);
        Assert.Equal((window, 0, 5 - window, window), (shown.Running, shown.Done, shown.Waiting, shown.WindowSize));
        Assert.Equal(DeploymentState.Success, details.Deployment.State);
        Assert.All(details.Machines, m => Assert.Equal(TargetState.Success, m.State));
        Assert.Equal(window, MostAtOnce());
        Assert.Equal(5, (await JobsAsync(deployment.Id)).Select(j => j.MachineId).Distinct().Count());
        var log = await LogAsync(deployment.Id);
        Assert.Contains($"Step 1 'Install' rolling {window} at a time over 5 machines.", log);
        Assert.Contains("Step 1 'Install' started on web-05 (5 of 5).", log);
    }

    [Fact]
    public async Task A_failure_stops_the_roll_and_the_machines_not_started_are_skipped_while_the_deployment_fails_for_the_one_that_failed()
    {
        await _scenario.WithReleaseAsync(null, Rolling(RollingWindow.Count(2), failOn: "web-02"));
        var machines = await StartAgentsAsync(5);

        var deployment = await _api.DeployAsync(_scenario);
        await Eventually.TrueAsync(async () => (await LogAsync(deployment.Id)).Any(l => l.Contains("stopped starting new machines")),
            because: () => Read(Notes));
        File.WriteAllText(Gate, "go");
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id, TimeSpan.FromSeconds(90));

        Assert.Equal(DeploymentState.Failed, details.Deployment.State);
        Assert.StartsWith("1 of 2 machine(s) did not succeed: web-02: Step 'Install': ", details.Deployment.FailureReason);
        Assert.Equal([machines[0], machines[1]], (await JobsAsync(deployment.Id)).Select(j => j.MachineId).Order());
        Assert.Equal((TargetState.Success, TargetState.Failed), (details.Machines[0].State, details.Machines[1].State));
        Assert.All(details.Machines.Skip(2), m =>
        {
            Assert.Equal(TargetState.Skipped, m.State);
            Assert.Equal("Not started in step 'Install': the step stopped starting new machines after web-02 failed.", m.Reason);
            Assert.Empty(m.Steps);
        });
        Assert.StartsWith("3 machine(s) skipped: web-03: Not started", details.Deployment.Warning);
        Assert.Contains("Step 1 'Install' stopped starting new machines after web-02 failed; 3 not started.", await LogAsync(deployment.Id));
        var step = details.Steps.Single();
        Assert.Equal((0, 2, 0, 3), (step.Running, step.Done, step.Waiting, step.NotStarted));
    }

    [Fact]
    public async Task A_step_that_continues_on_failure_starts_every_machine_and_the_deployment_still_fails()
    {
        await _scenario.WithReleaseAsync(null, Rolling(RollingWindow.Count(2), failOn: "web-01") with { ContinueOnFailure = true });
        await StartAgentsAsync(4);
        File.WriteAllText(Gate, "go");

        var details = await DeployAndWaitAsync();

        Assert.Equal(DeploymentState.Failed, details.Deployment.State);
        Assert.StartsWith("1 of 4 machine(s) did not succeed: web-01: ", details.Deployment.FailureReason);
        Assert.Equal([TargetState.Failed, TargetState.Success, TargetState.Success, TargetState.Success], details.Machines.Select(m => m.State));
        Assert.All(details.Machines, m => Assert.Single(m.Steps));
        Assert.True(MostAtOnce() <= 2, Read(Notes));
    }

    [Fact]
    public async Task A_machine_that_arrives_mid_roll_waits_for_the_deployment_and_then_gets_its_release()
    {
        await _scenario.WithReleaseAsync(null, Rolling(RollingWindow.Count(1)));
        await using (var db = await _factory.CreateDbContextAsync())
        {
            db.Triggers.Add(ProjectTrigger.Create(_scenario.Project.Id, "Web servers"));
            await db.SaveChangesAsync();
        }
        await StartAgentsAsync(2);
        var rolling = await _api.DeployAsync(_scenario);
        await Eventually.TrueAsync(() => Task.FromResult(Started() == 1), because: () => Read(Notes));

        // Registered with health unknown, as a new instance is: its agent's first poll gets it checked, Healthy, an event.
        var (arrived, token) = await _factory.AddAsync("web-03", [_scenario.Environment.Id], ["web"]);
        StartAgent(arrived, "web-03", token);
        DecisionAnswer? waiting = null;
        await Eventually.TrueAsync(async () =>
        {
            var decisions = await _api.GetFromJsonAsync<List<DecisionAnswer>>($"/api/machines/{arrived}/decisions");
            waiting = decisions!.FirstOrDefault(d => d.Kind == nameof(DecisionKind.WaitingForDeployment));
            return waiting is not null;
        }, TimeSpan.FromSeconds(60), () => Read(Notes));
        File.WriteAllText(Gate, "go");
        var first = await _api.WaitForDeploymentEndAsync(rolling.Id, TimeSpan.FromSeconds(90));

        Assert.Equal(rolling.Id, waiting!.DeploymentId);
        Assert.Equal(DeploymentState.Success, first.Deployment.State);
        Assert.DoesNotContain(first.Machines, m => m.MachineId == arrived);
        await Eventually.TrueAsync(async () =>
        {
            var releases = await _api.GetFromJsonAsync<List<MachineRelease>>($"/api/machines/{arrived}/releases", ProtocolAgent.Json);
            return releases!.Any(r => r.ReleaseId == _scenario.Release.Id);
        }, TimeSpan.FromSeconds(60), () => Read(Notes));
        var followOn = (await _api.GetFromJsonAsync<List<DeploymentSummary>>($"/api/deployments?machineId={arrived}", ProtocolAgent.Json))!;
        Assert.NotEqual(rolling.Id, Assert.Single(followOn).Id);
        Assert.Equal(1, File.ReadAllLines(Notes).Count(l => l == "start web-03"));
    }

    /// <summary>A rolling step "Install" on role web whose script notes its start and end and waits for the gate; one machine fails at once.</summary>
    private DeploymentStep Rolling(RollingWindow window, string? failOn = null)
    {
        var fail = failOn is null ? ""
            : $"if [ \"$AUTODEPLOY_MACHINE\" = '{failOn}' ]; then echo \"end $AUTODEPLOY_MACHINE\" >> '{Notes}'; echo 'broken' >&2; exit 3; fi\n";
        var script = $"echo \"start $AUTODEPLOY_MACHINE\" >> '{Notes}'\n{fail}" +
                     $"while [ ! -f '{Gate}' ]; do sleep 0.05; done\necho \"end $AUTODEPLOY_MACHINE\" >> '{Notes}'";
        return DeploymentScenario.Step("Install", "web", script) with { Window = window };
    }

    /// <summary>Machines web-01 … web-NN with their agents running; their ids in that order.</summary>
    private async Task<List<int>> StartAgentsAsync(int count)
    {
        var ids = new List<int>();
        for (var i = 1; i <= count; i++)
        {
            var name = $"web-{i:00}";
            var (id, token) = await _scenario.AddMachineAsync(name, "web");
            StartAgent(id, name, token);
            ids.Add(id);
        }
        return ids;
    }

    private void StartAgent(int id, string name, string token)
    {
        var runner = new AgentRunner(new AgentSettings(_server, id, name, token), new HttpClient(), TimeProvider.System, TextWriter.Null, FastAgent);
        // On the thread pool, as in its own process: not queued behind other tests on xunit's few threads.
        _agents.Add(Task.Run(() => runner.RunAsync(_stopAgents.Token)));
    }

    private int Started() => Read(Notes).Split('\n').Count(l => l.StartsWith("start ", StringComparison.Ordinal));

    /// <summary>The most scripts that were running at once, from the order of their notes.</summary>
    private int MostAtOnce()
    {
        var (running, most) = (0, 0);
        foreach (var line in File.ReadAllLines(Notes))
        {
            running += line.StartsWith("start ", StringComparison.Ordinal) ? 1 : -1;
            most = Math.Max(most, running);
        }
        return most;
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    private async Task<List<MachineJob>> JobsAsync(int deploymentId)
    {
        await using var db = await _factory.CreateDbContextAsync();
        return await db.MachineJobs.AsNoTracking().Where(j => j.DeploymentId == deploymentId).ToListAsync();
    }

    private async Task<DeploymentDetails> DetailsAsync(int id) =>
        (await _api.GetFromJsonAsync<DeploymentDetails>($"/api/deployments/{id}", ProtocolAgent.Json))!;

    private async Task<List<string>> LogAsync(int id) =>
        (await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{id}/log?take=5000", ProtocolAgent.Json))!.Lines.Select(l => l.Text).ToList();

    private async Task<DeploymentDetails> DeployAndWaitAsync() =>
        await _api.WaitForDeploymentEndAsync((await _api.DeployAsync(_scenario)).Id, TimeSpan.FromSeconds(90));
}
