using System.Diagnostics;
using System.Net.Http.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Services;
using Xunit.Abstractions;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>
/// The proof of issue 7: three AutoDeploy.Web processes on one PostgreSQL database behind a balancer without sticky
/// sessions, two dozen real agent loops, machines disabled and enabled, agents killed and restarted, and the node
/// running a deployment SIGKILLed midway and restarted. The cluster must end exactly where one node would have.
/// </summary>
[Collection("postgres")]
public sealed class ThreeNodesTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private const int AgentCount = 24;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly List<WebNode> _nodes = [];
    private readonly List<BalancedAgent> _agents = [];
    private LoadBalancer _balancer = null!;
    private HttpClient _api = null!;
    private ClusterFacts _facts = null!;
    private TimeSpan _startup;

    public async Task InitializeAsync()
    {
        var startup = Stopwatch.StartNew();
        // An empty database: the three nodes migrate it and create the bootstrap administrator together.
        var connectionString = (await server.CreateDatabaseAsync()).Replace("Pooling=false", "Pooling=true", StringComparison.Ordinal);
        _facts = new ClusterFacts(connectionString);
        var settings = ClusterSettings.For(connectionString);
        _nodes.AddRange(Enumerable.Range(1, 3).Select(i => new WebNode($"node-{i}", settings)));
        _balancer = new LoadBalancer(_nodes, seed: 7);
        _nodes.ForEach(n => n.Start());
        try
        {
            await Task.WhenAll(_nodes.Select(n => n.WaitHealthyAsync(Patience)));
        }
        catch
        {
            // xUnit does not dispose a class whose start failed: the node processes would outlive the run.
            await DisposeAsync();
            throw;
        }
        _api = _balancer.Client();
        _api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        _startup = startup.Elapsed;
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_agents.Select(a => a.KillAsync()));
        await Task.WhenAll(_nodes.Select(n => n.DisposeAsync().AsTask()));
        _api?.Dispose();
    }

    [Fact]
    public async Task Three_nodes_one_killed_midway_deploy_every_machine_exactly_once()
    {
        var (environmentId, releaseId) = await ArrangeReleaseDeployedToAFirstMachineAsync();
        var triggerEvent = await AddTriggerAsync(environmentId);

        var clock = Stopwatch.StartNew();
        var disabled = new List<BalancedAgent>();
        for (var i = 1; i <= AgentCount; i++)
        {
            var agent = await RegisterAsync($"web-{i:00}");
            if (i % 6 == 0)
            {
                await SetEnabledAsync(agent.MachineId, false);
                disabled.Add(agent);
            }
            agent.Start();
        }

        var (victim, takeover) = await KillTheNodeRunningADeploymentAsync();
        var restart = RestartAsync(victim);

        foreach (var agent in disabled)
        {
            await SetEnabledAsync(agent.MachineId, true);
        }
        var killed = await KillAgentsWhileTheirStepRunsAsync(disabled);
        await Eventually.TrueAsync(async () => await AllUnavailableAsync(killed), Patience, () => "killed agents' machines should turn Unavailable");
        killed.ForEach(a => a.Start());

        foreach (var agent in _agents.Where(a => !disabled.Contains(a)).Take(3).ToList())
        {
            await SetEnabledAsync(agent.MachineId, false);
            await SetEnabledAsync(agent.MachineId, true);
        }

        await restart;
        var machines = _agents.Select(a => a.MachineId).ToList();
        await Eventually.TrueAsync(() => _facts.ConvergedAsync(releaseId, machines), TimeSpan.FromSeconds(120),
            () => $"the cluster should converge (last check: {_facts.LastConvergence}):\n" + string.Join("\n", _nodes.Select(n => n.Tail(15))));
        var converged = clock.Elapsed;
        var report = await _facts.ReportAsync(releaseId, machines, triggerEvent);

        output.WriteLine($"Nodes: 3, started together on an empty database in {_startup.TotalSeconds:0.0} s; {victim.Name} SIGKILLed while " +
                         $"running a deployment and restarted; another node took the deployment over {takeover.TotalSeconds:0.0} s after the kill");
        output.WriteLine($"Agents: {report.Machines} ({AgentCount} registered at random nodes + the first machine); {disabled.Count} disabled then enabled; " +
                         $"{killed.Count} killed mid-step and restarted; 3 disabled and enabled with the release");
        output.WriteLine($"Events: {report.Events} ({report.MachineEvents} machine events, {report.Decisions} auto-deploy decisions); cursor {report.Cursor} of {report.MaxEventId}");
        output.WriteLine($"Deployments: {report.Deployments} ({report.Succeeded} succeeded, {report.Failed} failed, {report.TakenOver} taken over by another node)");
        output.WriteLine($"Converged {converged.TotalSeconds:0.0} s after the first agent registered");
        Assert.All(report.SuccessesPerMachine, m => Assert.True(m.Value == 1, $"machine {m.Key} has {m.Value} successful deployments of the release"));
        Assert.Equal(report.MaxEventId, report.Cursor);
        Assert.Empty(report.UndecidedAvailableEvents);
        Assert.Equal(0, report.Open);
    }

    private async Task<(int EnvironmentId, int ReleaseId)> ArrangeReleaseDeployedToAFirstMachineAsync()
    {
        var environment = await PostAsync<Created>("api/environments", new EnvironmentRequest("Production", null));
        var step = new DeploymentStep
        {
            Name = "Install", Roles = ["web"], Script = "sleep 2\necho \"installed $AUTODEPLOY_RELEASE on $AUTODEPLOY_MACHINE\"",
            Timeout = TimeSpan.FromMinutes(1),
        };
        var project = await PostAsync<Created>("api/projects", new ProjectRequest("Shop", null, Steps: [step],
            Connectivity: new ConnectivitySettings { SkipUnavailableMachines = true }));
        var release = await PostAsync<Created>($"api/projects/{project.Id}/releases", new ReleaseRequest("1.0.0", null));
        var first = await RegisterAsync("web-00");
        first.Start();
        await Eventually.TrueAsync(async () => await _facts.HealthAsync(first.MachineId) == MachineHealthStatus.Healthy, Patience);
        var deployment = await PostAsync<Created>("api/deployments", new DeployRequest(release.Id, environment.Id, null));
        await Eventually.TrueAsync(async () => (await _facts.DeploymentAsync(deployment.Id)).State.IsFinished(), Patience);
        var ended = await _facts.DeploymentAsync(deployment.Id);
        Assert.True(ended.State == DeploymentState.Success, $"The first deployment ended {ended.State}: {ended.FailureReason}");
        return (environment.Id, release.Id);
    }

    private async Task<long> AddTriggerAsync(int environmentId)
    {
        var projectId = (await _api.GetFromJsonAsync<List<Created>>("api/projects", ProtocolAgent.Json))!.Single().Id;
        await PostAsync<Created>($"api/projects/{projectId}/triggers", new TriggerRequest("Web servers",
            EnvironmentIds: [environmentId], Roles: ["web"], EventGroups: [EventGroups.MachineAvailableForDeployment]));
        return await _facts.MaxEventIdAsync();
    }

    /// <summary>Waits until a deployment's step is with the agents, then SIGKILLs the node running it.</summary>
    private async Task<(WebNode Victim, TimeSpan Takeover)> KillTheNodeRunningADeploymentAsync()
    {
        Deployment? running = null;
        await Eventually.TrueAsync(async () => (running = await _facts.ExecutingWithAllJobsRunningAsync()) is not null, Patience,
            () => "a deployment should reach its agents");
        var victim = _nodes.Single(n => n.Name == running!.ExecutingNode);
        _balancer.MarkDown(victim);
        await victim.KillAsync();
        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => (await _facts.DeploymentAsync(running!.Id)).ExecutingNode != victim.Name, Patience,
            () => $"another node should take deployment {running!.Id} over");
        return (victim, clock.Elapsed);
    }

    private async Task RestartAsync(WebNode node)
    {
        node.Start();
        await node.WaitHealthyAsync(Patience);
        _balancer.MarkUp(node);
    }

    /// <summary>SIGKILLs (in effect) the agents of the machines whose deployment step is running, once some are.</summary>
    private async Task<List<BalancedAgent>> KillAgentsWhileTheirStepRunsAsync(List<BalancedAgent> candidates)
    {
        var ids = candidates.Select(a => a.MachineId).ToList();
        List<int> running = [];
        await Eventually.TrueAsync(async () => (running = await _facts.RunningAStepAsync(ids)).Count > 0, Patience,
            () => "the enabled machines' step should run");
        var killed = candidates.Where(a => running.Contains(a.MachineId)).Take(3).ToList();
        await Task.WhenAll(killed.Select(a => a.KillAsync()));
        return killed;
    }

    private async Task<bool> AllUnavailableAsync(List<BalancedAgent> agents)
    {
        foreach (var agent in agents)
        {
            if (await _facts.HealthAsync(agent.MachineId) != MachineHealthStatus.Unavailable)
            {
                return false;
            }
        }
        return true;
    }

    private async Task<BalancedAgent> RegisterAsync(string name)
    {
        using var http = _balancer.Client();
        var registration = await new AgentClient(http, LoadBalancer.Address).RegisterAsync(AutoDeployAppFactory.AdminApiKey,
            new RegistrationRequest { Name = name, Environments = ["Production"], Roles = ["web"] }, default);
        var agent = new BalancedAgent(_balancer, registration, name);
        _agents.Add(agent);
        return agent;
    }

    private async Task SetEnabledAsync(int machineId, bool enabled)
    {
        var machine = (await _api.GetFromJsonAsync<MachineDetails>($"api/machines/{machineId}", ProtocolAgent.Json))!;
        var update = new MachineUpdateRequest(machine.Name, machine.Environments.Select(e => e.Id).ToList(), machine.Roles.ToList(),
            machine.Policy.Id, enabled, null);
        (await _api.PutAsJsonAsync($"api/machines/{machineId}", update, ProtocolAgent.Json)).EnsureSuccessStatusCode();
    }

    private async Task<T> PostAsync<T>(string path, object body)
    {
        using var response = await _api.PostAsJsonAsync(path, body, ProtocolAgent.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(ProtocolAgent.Json))!;
    }

    private sealed record Created(int Id);
}
