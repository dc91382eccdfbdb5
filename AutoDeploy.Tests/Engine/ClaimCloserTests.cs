using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Engine;

/// <summary>
/// A deployment that ends (succeeded, failed or canceled) gives up its machines' auto-deploy claims in the save that
/// ends it, so the engine may queue the release to them again; a deployment still queued or running keeps its claims.
/// </summary>
public sealed class ClaimCloserTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData(DeploymentState.Success)]
    [InlineData(DeploymentState.Failed)]
    [InlineData(DeploymentState.Canceled)]
    public async Task Ending_a_deployment_closes_its_claims_and_no_others(DeploymentState end)
    {
        var ending = await QueueWithClaimsAsync(1, 2);
        await QueueWithClaimsAsync(3);

        await using (var db = _database.CreateDbContext())
        {
            var deployment = await db.Deployments.SingleAsync(d => d.Id == ending);
            deployment.Start(_database.Time.GetUtcNow());
            deployment.Finish(end, end == DeploymentState.Success ? null : "it broke", _database.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }

        Assert.Equal([(1, null), (2, null), (3, true)], await ClaimsAsync());
    }

    [Fact]
    public async Task Starting_a_deployment_keeps_its_claims_open()
    {
        var started = await QueueWithClaimsAsync(1);

        await using (var db = _database.CreateDbContext())
        {
            (await db.Deployments.SingleAsync(d => d.Id == started)).Start(_database.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }

        Assert.Equal([(1, true)], await ClaimsAsync());
    }

    private async Task<int> QueueWithClaimsAsync(params int[] machineIds)
    {
        await using var db = _database.CreateDbContext();
        db.AttachRange(_scenario.Project, _scenario.Release, _scenario.Environment);
        var deployment = Deployment.Queue(_scenario.Project, _scenario.Release, _scenario.Environment, machineIds, "test", null,
            _database.Time.GetUtcNow());
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        db.AutoDeployClaims.AddRange(machineIds.Select(m => new AutoDeployClaim
        {
            MachineId = m, ReleaseId = _scenario.Release.Id, DeploymentId = deployment.Id,
        }));
        await db.SaveChangesAsync();
        return deployment.Id;
    }

    private async Task<List<(int MachineId, bool? IsOpen)>> ClaimsAsync()
    {
        await using var db = _database.CreateDbContext();
        var claims = await db.AutoDeployClaims.OrderBy(c => c.MachineId).ToListAsync();
        return claims.Select(c => (c.MachineId, c.IsOpen)).ToList();
    }
}
