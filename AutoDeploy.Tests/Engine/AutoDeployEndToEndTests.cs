using System.Net.Http.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Engine;

/// <summary>The whole loop with real agents over HTTP: machines that come online get the release without anyone clicking.</summary>
[Trait("Database", "App")]
public sealed class AutoDeployEndToEndTests : IAsyncLifetime
{
    private static readonly AgentRunnerOptions FastAgent = TestAgentOptions.Fast;

    private readonly AutoDeployAppFactory _app = new();
    private readonly CancellationTokenSource _stopAgents = new();
    private readonly List<Task<int>> _agents = [];
    private IDbContextFactory<AutoDeployDbContext> _factory = null!;
    private DeploymentScenario _scenario = null!;
    private string _server = "";
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        // No fallback scan within the test: only the wake-up on committed events can make the engine react.
        _app.Settings["AutoDeploy:ScanInterval"] = "01:00:00";
        _app.Settings["AutoDeploy:RetryBackoff"] = "00:00:00.500";
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
    }

    [Fact]
    public async Task Two_agents_that_come_online_after_a_successful_release_get_it_automatically_exactly_once()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web", "echo \"installed $AUTODEPLOY_RELEASE\""));
        await AddTriggerAsync();
        var first = await StartAgentAsync("web-01");
        var manual = await _api.PostAsJsonAsync("/api/deployments", new DeployRequest(_scenario.Release.Id, _scenario.Environment.Id, null));
        manual.EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => await HasReleaseAsync(first), TimeSpan.FromSeconds(60), () => Describe());

        var second = await StartAgentAsync("web-02");
        var third = await StartAgentAsync("web-03");

        await Eventually.TrueAsync(async () => await HasReleaseAsync(second) && await HasReleaseAsync(third), TimeSpan.FromSeconds(60),
            () => Describe());
        await using var db = await _factory.CreateDbContextAsync();
        var targets = await db.DeploymentTargets.Where(t => t.State == TargetState.Success).Select(t => t.MachineId).ToListAsync();
        Assert.Equal([first, second, third], targets.Order());
        var triggered = await db.Events.Where(e => e.Category == EventCategories.AutoDeployTriggered).ToListAsync();
        Assert.Equal([second, third], triggered.Select(e => e.MachineId!.Value).Order());
        Assert.All(triggered, e => Assert.Contains("1.0.0 queued: #", e.Message));
        Assert.Empty(await db.Events.Where(e => e.Category == EventCategories.AutoDeployTriggered && e.MachineId == first).ToListAsync());
    }

    [Fact]
    public async Task A_machine_whose_auto_deployment_fails_is_retried_after_the_back_off_with_no_new_event()
    {
        var markers = Directory.CreateTempSubdirectory("autodeploy-retry-");
        // Machines named flaky-* fail their first run and pass the next; the others always pass.
        var script = $"f='{markers.FullName}'/\"$AUTODEPLOY_MACHINE\"\n"
            + "case \"$AUTODEPLOY_MACHINE\" in flaky*) if [ ! -f \"$f\" ]; then touch \"$f\"; echo 'first run fails'; exit 1; fi ;; esac\n"
            + "echo \"installed $AUTODEPLOY_RELEASE\"";
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web", script));
        await AddTriggerAsync();
        var first = await StartAgentAsync("web-01");
        (await _api.PostAsJsonAsync("/api/deployments", new DeployRequest(_scenario.Release.Id, _scenario.Environment.Id, null))).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => await HasReleaseAsync(first), TimeSpan.FromSeconds(60), () => Describe());

        var flaky = await StartAgentAsync("flaky-01");

        await Eventually.TrueAsync(async () => await HasReleaseAsync(flaky), TimeSpan.FromSeconds(60), () => Describe());
        await using var db = await _factory.CreateDbContextAsync();
        var decisions = await db.Events.Where(e => e.MachineId == flaky
                && EventCategories.AutoDeployDecisions.Contains(e.Category))
            .OrderBy(e => e.Id).Select(e => e.Message).ToListAsync();
        Assert.Equal(3, decisions.Count);
        Assert.StartsWith("1.0.0 queued: #", decisions[0]);
        Assert.Contains("(attempt 1 of 3); attempt 2 at", decisions[1]);
        Assert.StartsWith("1.0.0 queued (attempt 2 of 3): #", decisions[2]);
        markers.Delete(recursive: true);
    }

    [Fact]
    public async Task A_leave_hook_runs_on_the_lb_machines_once_per_leave_with_the_leaving_machine_in_its_variables()
    {
        var script = "echo \"deregister $AUTODEPLOY_LEAVING_MACHINE id=$AUTODEPLOY_LEAVING_MACHINE_ID roles=$AUTODEPLOY_LEAVING_ROLES"
            + " env=$AUTODEPLOY_LEAVING_ENVIRONMENT event=$AUTODEPLOY_LEAVING_EVENT on $AUTODEPLOY_MACHINE\"";
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Deregister", "lb", script));
        await using (var db = await _factory.CreateDbContextAsync())
        {
            var hook = ProjectTrigger.Create(_scenario.Project.Id, "LB deregister");
            hook.Action = TriggerAction.RunOnOtherMachines;
            hook.Roles = ["web"];
            hook.EventGroups = [EventGroups.MachineUnavailableForDeployment];
            hook.EventCategories = [EventCategories.MachineDeleted];
            db.Triggers.Add(hook);
            await db.SaveChangesAsync();
        }
        var lb = await StartAgentAsync("lb-01", "lb");
        var (web, _) = await _factory.AddAsync("web-01", [_scenario.Environment.Id], ["web"], healthy: true);

        await using (var db = await _factory.CreateDbContextAsync())
        {
            (await db.Machines.SingleAsync(m => m.Id == web)).Disable();
            await db.SaveChangesAsync();
        }
        await Eventually.TrueAsync(async () => await HookRunsAsync() is [{ State: DeploymentState.Success }], TimeSpan.FromSeconds(60), () => Describe());
        (await _api.DeleteAsync($"/api/machines/{web}")).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await DecisionsAsync(web)).Count == 2, TimeSpan.FromSeconds(60), () => Describe());

        var run = Assert.Single(await HookRunsAsync());
        Assert.Equal((web, "web-01", EventCategories.MachineDisabled), (run.Leaving!.MachineId, run.Leaving.Name, run.Leaving.EventCategory));
        await using (var db = await _factory.CreateDbContextAsync())
        {
            Assert.Equal([lb], await db.DeploymentTargets.Where(t => t.DeploymentId == run.Id).Select(t => t.MachineId).ToListAsync());
            var log = await db.TaskLogLines.Where(l => l.DeploymentId == run.Id).Select(l => l.Text).ToListAsync();
            Assert.Contains($"deregister web-01 id={web} roles=web env={_scenario.Environment.Name} event=MachineDisabled on lb-01", log);
        }
        var decisions = await DecisionsAsync(web);
        Assert.Equal([EventCategories.AutoDeployTriggered, EventCategories.AutoDeployNoAction], decisions.Select(d => d.Category));
        Assert.StartsWith($"{_scenario.Project.Name} 1.0.0 queued to run on other machines: 'web-01' left (MachineDisabled #", decisions[0].Message);
        Assert.StartsWith("The hook already ran for this leave of 'web-01' (decision #", decisions[1].Message);
    }

    private async Task<List<Deployment>> HookRunsAsync()
    {
        await using var db = await _factory.CreateDbContextAsync();
        return (await db.Deployments.AsNoTracking().Where(d => d.TriggerId != null).ToListAsync()).Where(d => d.Leaving is not null).ToList();
    }

    private async Task<List<Event>> DecisionsAsync(int machineId)
    {
        await using var db = await _factory.CreateDbContextAsync();
        return await db.Events.AsNoTracking().Where(e => e.MachineId == machineId && EventCategories.AutoDeployDecisions.Contains(e.Category))
            .OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>The machines, deployments and events so far, for a failure message.</summary>
    private string Describe()
    {
        using var db = _factory.CreateDbContext();
        var machines = db.Machines.AsNoTracking().ToList().Select(m => $"{m.Id} {m.Name} {m.HealthStatus}");
        var deployments = db.Deployments.AsNoTracking().ToList().Select(d => $"#{d.Id} {d.State} trigger {d.TriggerId} {d.FailureReason}");
        var events = db.Events.AsNoTracking().OrderBy(e => e.Id).ToList().Select(e => $"#{e.Id} {e.Category} m{e.MachineId} d{e.DeploymentId}: {e.Message}");
        return string.Join("\n", machines.Concat(deployments).Concat(events));
    }

    private async Task AddTriggerAsync()
    {
        await using var db = await _factory.CreateDbContextAsync();
        db.Triggers.Add(ProjectTrigger.Create(_scenario.Project.Id, "Web servers"));
        await db.SaveChangesAsync();
    }

    /// <summary>A newly registered machine (health unknown) whose agent starts polling: its first contact is checked at once.</summary>
    private async Task<int> StartAgentAsync(string name, string role = "web")
    {
        var (id, token) = await _factory.AddAsync(name, [_scenario.Environment.Id], [role]);
        var runner = new AgentRunner(new AgentSettings(_server, id, name, token), new HttpClient(), TimeProvider.System, TextWriter.Null, FastAgent);
        // On the thread pool, as in its own process: not queued behind other tests on xunit's few threads.
        _agents.Add(Task.Run(() => runner.RunAsync(_stopAgents.Token)));
        return id;
    }

    private async Task<bool> HasReleaseAsync(int machineId)
    {
        var releases = await _api.GetFromJsonAsync<List<MachineRelease>>($"/api/machines/{machineId}/releases", ProtocolAgent.Json);
        return releases!.Any(r => r.ReleaseId == _scenario.Release.Id);
    }
}
