using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>The machines of an environment as target selection sees them: checked when a deployment is queued and again when it starts.</summary>
public static class MachineCandidates
{
    public static Task<List<MachineCandidate>> InEnvironmentAsync(AutoDeployDbContext db, int environmentId, CancellationToken cancellationToken) =>
        db.Machines.AsNoTracking()
            .Where(m => m.Environments.Any(e => e.Id == environmentId))
            .Select(m => new MachineCandidate(m.Id, m.Name, m.Roles, m.IsEnabled, m.HealthStatus))
            .ToListAsync(cancellationToken);
}
