using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoDeploy.Tests.Engine;

/// <summary>
/// The engine on a real SQLite database: machines and deployments change through the domain (so the listener
/// writes the events), then the engine runs its passes and the test reads what it queued and explained.
/// </summary>
internal sealed class EngineScenario(SqliteDatabase database)
{
    private readonly AutoDeployEngine _engine = new(database, new TaskSignals(),
        Microsoft.Extensions.Options.Options.Create(new AutoDeployOptions()), database.Time, NullLogger<AutoDeployEngine>.Instance);

    public AutoDeployEngine Engine => _engine;

    /// <summary>Moves the database's and the engine's clock on (the database is created with a FakeTimeProvider).</summary>
    public void Advance(TimeSpan span) => ((Microsoft.Extensions.Time.Testing.FakeTimeProvider)database.Time).Advance(span);

    public DeploymentEnvironment Environment { get; private set; } = null!;
    public Project Project { get; private set; } = null!;
    public Dictionary<string, Release> Releases { get; } = [];

    public async Task<EngineScenario> StartAsync(string stepRole = "web", bool redeploy = false)
    {
        await using var db = database.CreateDbContext();
        Environment = DeploymentEnvironment.Create("Production", null, 0);
        Project = Project.Create("Shop", null);
        Project.Steps = [DeploymentScenario.Step("Install", stepRole)];
        db.AddRange(Environment, Project, MachinePolicy.CreateDefault());
        await db.SaveChangesAsync();
        var trigger = ProjectTrigger.Create(Project.Id, "Web servers");
        trigger.Redeploy = redeploy;
        db.Triggers.Add(trigger);
        await db.SaveChangesAsync();
        await RunEngineAsync();
        return this;
    }

    public async Task<Release> ReleaseAsync(string version)
    {
        await using var db = database.CreateDbContext();
        db.Attach(Project);
        SemanticVersion.TryParse(version, out var semver);
        var release = Release.Create(Project, semver!, null, DateTimeOffset.UtcNow);
        db.Releases.Add(release);
        await db.SaveChangesAsync();
        Releases[version] = release;
        return release;
    }

    public async Task<int> AddMachineAsync(string name, string role = "web", bool healthy = true)
    {
        await using var db = database.CreateDbContext();
        var policy = await db.MachinePolicies.SingleAsync();
        var environment = await db.Environments.SingleAsync();
        var machine = Machine.Register(name, [environment], [role], policy, DateTimeOffset.UtcNow);
        db.Machines.Add(machine);
        await db.SaveChangesAsync();
        if (healthy)
        {
            machine.RecordHealth(MachineHealthStatus.Healthy, null, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        return machine.Id;
    }

    public async Task ChangeAsync(int machineId, Action<Machine> change)
    {
        await using var db = database.CreateDbContext();
        var machine = await db.Machines.Include(m => m.MachinePolicy).SingleAsync(m => m.Id == machineId);
        change(machine);
        await db.SaveChangesAsync();
    }

    /// <summary>A deployment that starts on the given machines; finish it with <see cref="FinishAsync"/>.</summary>
    public async Task<int> StartDeploymentAsync(string version, params int[] machineIds)
    {
        await using var db = database.CreateDbContext();
        db.AttachRange(Project, Releases[version], Environment);
        var deployment = Deployment.Queue(Project, Releases[version], Environment, [], "test", null, DateTimeOffset.UtcNow);
        deployment.Start(DateTimeOffset.UtcNow);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        db.DeploymentTargets.AddRange(machineIds.Select(m => new DeploymentTarget
        {
            DeploymentId = deployment.Id, MachineId = m, MachineName = $"m{m}", State = TargetState.Running,
        }));
        await db.SaveChangesAsync();
        return deployment.Id;
    }

    public async Task FinishAsync(int deploymentId, DeploymentState state = DeploymentState.Success, TargetState? targetState = null)
    {
        await using var db = database.CreateDbContext();
        var deployment = await db.Deployments.SingleAsync(d => d.Id == deploymentId);
        foreach (var target in await db.DeploymentTargets.Where(t => t.DeploymentId == deploymentId).ToListAsync())
        {
            target.State = targetState ?? (state == DeploymentState.Success ? TargetState.Success : TargetState.Failed);
        }
        deployment.Finish(state, state == DeploymentState.Success ? null : "failed", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    public async Task<int> DeployAsync(string version, params int[] machineIds)
    {
        var id = await StartDeploymentAsync(version, machineIds);
        await FinishAsync(id);
        return id;
    }

    public async Task RunEngineAsync()
    {
        while (await _engine.RunPassAsync(default))
        {
        }
    }

    /// <summary>The auto-deployments the engine queued, each as "version: machine ids", e.g. "1.0.0: 2, 3".</summary>
    public async Task<List<string>> QueuedAsync()
    {
        await using var db = database.CreateDbContext();
        return (await db.Deployments.Where(d => d.TriggerId != null).OrderBy(d => d.Id).ToListAsync())
            .Select(d => $"{d.ReleaseVersion}: {string.Join(", ", d.ChosenMachineIds.Order())}").ToList();
    }

    /// <summary>Ends the newest auto-deployment as failed, its machines ending <paramref name="targetState"/> (Failed by default).</summary>
    public async Task FailLatestAutoDeploymentAsync(TargetState targetState = TargetState.Failed)
    {
        await using var db = database.CreateDbContext();
        var latest = await db.Deployments.Where(d => d.TriggerId != null).OrderByDescending(d => d.Id).FirstAsync();
        latest.Start(DateTimeOffset.UtcNow);
        db.DeploymentTargets.AddRange(latest.ChosenMachineIds.Select(m => new DeploymentTarget
        {
            DeploymentId = latest.Id, MachineId = m, MachineName = $"m{m}", State = TargetState.Running,
        }));
        await db.SaveChangesAsync();
        await FinishAsync(latest.Id, DeploymentState.Failed, targetState);
    }

    public async Task<List<Event>> DecisionsAsync(int machineId)
    {
        await using var db = database.CreateDbContext();
        return await db.Events.Where(e => e.MachineId == machineId
            && EventCategories.AutoDeployDecisions.Contains(e.Category)).OrderBy(e => e.Id).ToListAsync();
    }
}
