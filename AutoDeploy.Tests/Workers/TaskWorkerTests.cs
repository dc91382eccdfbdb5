using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Workers;

[Trait("Database", "App")]
public sealed class TaskWorkerTests
{
    [Fact]
    public async Task A_deployment_left_executing_by_a_stopped_server_without_a_lease_is_failed_with_a_clear_message_at_start()
    {
        await using var database = await SqliteDatabase.CreateAsync(TimeProvider.System);
        var scenario = await new DeploymentScenario(database).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        int deploymentId;
        await using (var db = database.CreateDbContext())
        {
            var project = await db.Projects.SingleAsync();
            var release = await db.Releases.SingleAsync();
            var environment = await db.Environments.SingleAsync();
            var deployment = Deployment.Queue(project, release, environment, [], "test", null, DateTimeOffset.UtcNow);
            deployment.Start(DateTimeOffset.UtcNow);
            db.Deployments.Add(deployment);
            await db.SaveChangesAsync();
            deploymentId = deployment.Id;
        }
        await using var app = new AutoDeployAppFactory();
        app.Settings["Database:Provider"] = "Sqlite";
        app.Settings["ConnectionStrings:Default"] = database.ConnectionString;

        _ = app.Services;

        await Eventually.TrueAsync(async () =>
        {
            await using var db = database.CreateDbContext();
            return (await db.Deployments.SingleAsync(d => d.Id == deploymentId)).State == DeploymentState.Failed;
        });
        await using var check = database.CreateDbContext();
        Assert.Equal(DeploymentRecovery.NoLeaseReason,
            (await check.Deployments.SingleAsync(d => d.Id == deploymentId)).FailureReason);
        Assert.Contains(await check.Events.Select(e => e.Category).ToListAsync(), c => c == "DeploymentFailed");
    }
}
