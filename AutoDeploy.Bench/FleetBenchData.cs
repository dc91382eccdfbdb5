using System.Text.Json;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Bench;

/// <summary>What <see cref="FleetBenchData.SeedAsync"/> wrote.</summary>
public sealed record FleetSeed(int Machines, int Projects, int StagingId, int FirstProjectId, int Deployments, int Targets, long Events);

/// <summary>
/// A fleet with every drift state, written through the DbContext: machine i is in Staging when i % 5 == 4 (else
/// Production) and has role worker when i % 10 == 9 (else web). Each project has a trigger for every role and one step,
/// for role web, the last project's for worker. Per project and environment, 1.0.0 succeeded on every machine of the
/// step's role, then 1.1.0 on all but those with i % 10 == 3 (behind); of those, i % 40 == 3 failed 1.1.0 and the engine
/// blocked them, i % 40 == 13 wait for a stored retry; in Production the first project has 1.1.0 queued for i % 100 == 33
/// and the second has 1.1.0 running on i % 100 == 53, with i % 100 == 63 waiting for it.
/// </summary>
public static class FleetBenchData
{
    public static async Task<FleetSeed> SeedAsync(BenchServer server, int machineCount, int projectCount, int history, TextWriter progress)
    {
        var data = await new BenchData(server.Db).WithEnvironmentAsync();
        var staging = await data.AddEnvironmentAsync("Staging");
        var machines = await data.AddMachinesAsync(machineCount, Role, healthy: true, prefix: "fleet", environment: i => i % 5 == 4 ? staging : data.Environment);
        progress.WriteLine($"fleet: {machineCount:N0} machines registered; seeding {projectCount} projects...");
        var (deployments, targets, firstProject) = (0, 0, 0);
        for (var p = 0; p < projectCount; p++)
        {
            await using var db = await server.Db.CreateDbContextAsync();
            var role = p == projectCount - 1 ? "worker" : "web";
            var project = Project.Create($"Service-{p}", null);
            project.Steps = [new DeploymentStep { Name = "Install", Roles = [role], Script = "echo installed", Timeout = TimeSpan.FromMinutes(5) }];
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            firstProject = p == 0 ? project.Id : firstProject;
            var now = DateTimeOffset.UtcNow;
            var old = Release.Create(project, new SemanticVersion(1, 0, 0, null, null), null, now);
            var current = Release.Create(project, new SemanticVersion(1, 1, 0, null, null), null, now);
            var trigger = ProjectTrigger.Create(project.Id, $"Service-{p} servers");
            db.AddRange(old, current, trigger);
            await db.SaveChangesAsync();
            foreach (var environment in await db.Environments.OrderBy(e => e.Id).ToListAsync())
            {
                var members = machines.Select((m, i) => (Machine: m, Index: i))
                    .Where(x => Role(x.Index) == role && (x.Index % 5 == 4) == (environment.Id == staging.Id)).ToList();
                var deploy = new Deployer(db, project, environment);
                targets += await deploy.EndedAsync(old, DeploymentState.Success, members);
                targets += await deploy.EndedAsync(current, DeploymentState.Success, members.Where(x => x.Index % 10 != 3));
                var failedOn = members.Where(x => x.Index % 40 == 3).ToList();
                targets += await deploy.EndedAsync(current, DeploymentState.Failed, failedOn);
                Decide(db, failedOn, trigger, environment, current, deploy.LastId, DecisionKind.Blocked, EventCategories.AutoDeployBlocked,
                    "Blocked after 3 failures: 1.1.0 failed in deployment #{0}. A new event for the machine, or a deployment, unblocks it.");
                var retrying = members.Where(x => x.Index % 40 == 13).ToList();
                Decide(db, retrying, trigger, environment, current, deploy.LastId, DecisionKind.RetryScheduled, EventCategories.AutoDeployNoAction,
                    "1.1.0 failed in deployment #{0} (attempt 1 of 3); attempt 2 in an hour.");
                db.AutoDeployRetries.AddRange(retrying.Select(x => new AutoDeployRetry
                {
                    MachineId = x.Machine.Id, TriggerId = trigger.Id, EnvironmentId = environment.Id, ReleaseId = current.Id, Attempt = 2,
                    DueAt = now.AddHours(1), EventIds = [1],
                }));
                if (environment.Id != staging.Id && p == 0)
                {
                    await deploy.QueuedAsync(current, members.Where(x => x.Index % 100 == 33));
                }
                if (environment.Id != staging.Id && p == 1)
                {
                    targets += await deploy.RunningAsync(current, members.Where(x => x.Index % 100 == 53));
                    Decide(db, members.Where(x => x.Index % 100 == 63).ToList(), trigger, environment, current, deploy.LastId,
                        DecisionKind.WaitingForDeployment, EventCategories.AutoDeployNoAction,
                        "Deployment #{0} of 1.1.0 is running in the environment; the machine is deployed to when it ends.");
                }
                await db.SaveChangesAsync();
                deployments += deploy.Count;
            }
        }
        await EventHistory.AppendAsync(server.Db, history, machineCount);
        await EventHistory.MoveCursorToEndAsync(server.Db);
        return new FleetSeed(machineCount, projectCount, staging.Id, firstProject, deployments, targets, await EventHistory.CountAsync(server.Db));
    }

    private static string Role(int index) => index % 10 == 9 ? "worker" : "web";

    /// <summary>One decision event per machine, as the engine records it (<see cref="DecisionDetails"/>).</summary>
    private static void Decide(AutoDeployDbContext db, List<(BenchMachine Machine, int Index)> machines, ProjectTrigger trigger,
        DeploymentEnvironment environment, Release release, int deploymentId, DecisionKind kind, string category, string reason)
    {
        db.Events.AddRange(machines.Select(x => new Event
        {
            OccurredAt = DateTimeOffset.UtcNow, Category = category, Actor = "system", Message = string.Format(reason, deploymentId),
            MachineId = x.Machine.Id, EnvironmentId = environment.Id, ProjectId = trigger.ProjectId, ReleaseId = release.Id,
            DeploymentId = deploymentId, TriggerId = trigger.Id,
            DetailsJson = JsonSerializer.Serialize(new DecisionDetails(kind.ToString(), x.Machine.Id, trigger.Id, environment.Id, release.Id,
                deploymentId, [1]), DecisionDetails.Json),
        }));
    }

    /// <summary>Deployments of one project to one environment, each with a target per machine.</summary>
    private sealed class Deployer(AutoDeployDbContext db, Project project, DeploymentEnvironment environment)
    {
        public int LastId { get; private set; }
        public int Count { get; private set; }

        public async Task<int> EndedAsync(Release release, DeploymentState state, IEnumerable<(BenchMachine Machine, int Index)> machines)
        {
            var deployment = await StartAsync(release, []);
            deployment.Finish(state, state == DeploymentState.Success ? null : "failed on some machines", DateTimeOffset.UtcNow);
            return await TargetsAsync(deployment, machines, state == DeploymentState.Success ? TargetState.Success : TargetState.Failed);
        }

        public async Task<int> RunningAsync(Release release, IEnumerable<(BenchMachine Machine, int Index)> machines) =>
            await TargetsAsync(await StartAsync(release, []), machines, TargetState.Running);

        public async Task QueuedAsync(Release release, IEnumerable<(BenchMachine Machine, int Index)> machines)
        {
            var deployment = Deployment.Queue(project, release, environment, machines.Select(x => x.Machine.Id), "bench", null, DateTimeOffset.UtcNow);
            db.Deployments.Add(deployment);
            await db.SaveChangesAsync();
            (LastId, Count) = (deployment.Id, Count + 1);
        }

        private async Task<Deployment> StartAsync(Release release, IEnumerable<int> chosen)
        {
            var deployment = Deployment.Queue(project, release, environment, chosen, "bench", null, DateTimeOffset.UtcNow);
            deployment.Start(DateTimeOffset.UtcNow);
            db.Deployments.Add(deployment);
            await db.SaveChangesAsync();
            (LastId, Count) = (deployment.Id, Count + 1);
            return deployment;
        }

        private async Task<int> TargetsAsync(Deployment deployment, IEnumerable<(BenchMachine Machine, int Index)> machines, TargetState state)
        {
            var targets = machines.Select(x => new DeploymentTarget
            {
                DeploymentId = deployment.Id, MachineId = x.Machine.Id, MachineName = x.Machine.Name, State = state,
                CompletedAt = state == TargetState.Running ? null : DateTimeOffset.UtcNow,
            }).ToList();
            db.DeploymentTargets.AddRange(targets);
            await db.SaveChangesAsync();
            return targets.Count;
        }
    }
}
