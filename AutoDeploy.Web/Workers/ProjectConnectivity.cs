using AutoDeploy.Domain.Projects;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Workers;

public static class ProjectConnectivity
{
    /// <summary>The connectivity settings of the deployment's project as they are now (a user may have changed them since it began).</summary>
    public static async Task<ConnectivitySettings> ReadAsync(IDbContextFactory<AutoDeployDbContext> factory, int deploymentId,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var projectId = await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.ProjectId).SingleAsync(cancellationToken);
        return (await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, cancellationToken)).Connectivity;
    }
}
