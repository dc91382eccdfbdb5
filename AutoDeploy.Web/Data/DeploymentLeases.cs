using AutoDeploy.Domain.Deployments;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AutoDeploy.Web.Data;

/// <summary>
/// Deployments owned by server nodes: a node claims a queued deployment with a lease, renews it by heartbeat and
/// before every write (<see cref="HoldAsync"/>), and another node takes over a deployment whose lease expired.
/// Every change is a conditional update, so two nodes never both own a deployment, and a node that lost one
/// (killed, or paused past its lease) cannot write to it any more.
/// </summary>
public sealed class DeploymentLeases(NodeIdentity node, TimeProvider time)
{
    public string NodeName => node.Name;

    /// <summary>
    /// Moves a queued deployment to Executing, owned by this node. False when another node claimed it first, or when
    /// its project and environment already have a deployment executing (a unique index decides between nodes).
    /// </summary>
    public async Task<bool> ClaimAsync(AutoDeployDbContext db, int deploymentId, CancellationToken cancellationToken)
    {
        var expires = Expiry();
        try
        {
            return await db.Deployments.Where(d => d.Id == deploymentId && d.State == DeploymentState.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DeploymentState.Executing)
                    .SetProperty(d => d.ExecutingNode, node.Name).SetProperty(d => d.LeaseExpiresAt, expires), cancellationToken) == 1;
        }
        catch (Exception ex) when (IsUniqueViolation(ex))
        {
            return false;
        }
    }

    /// <summary>The heartbeat: renews this node's leases and returns the deployments it still owns.</summary>
    public async Task<HashSet<int>> RenewAsync(AutoDeployDbContext db, IReadOnlyCollection<int> deploymentIds, CancellationToken cancellationToken)
    {
        if (deploymentIds.Count == 0)
        {
            return [];
        }
        var expires = Expiry();
        await Owned(db, deploymentIds).ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseExpiresAt, expires), cancellationToken);
        return (await Owned(db, deploymentIds).Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet();
    }

    /// <summary>Ends this node's lease on the deployment now (the node is stopping), so another node carries on with it at once.</summary>
    public async Task ReleaseAsync(AutoDeployDbContext db, int deploymentId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await Owned(db, [deploymentId]).ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseExpiresAt, now), cancellationToken);
    }

    /// <summary>
    /// The fence before a write about the deployment, inside the caller's transaction: renews the lease, which also locks
    /// the deployment's row until the transaction ends, so a node taking it over waits for this write or refuses it.
    /// </summary>
    /// <exception cref="LeaseLostException">This node no longer owns the deployment; nothing may be written.</exception>
    public async Task HoldAsync(AutoDeployDbContext db, int deploymentId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Hold a deployment's lease inside the transaction of the write it guards.");
        }
        var expires = Expiry();
        var held = await Owned(db, [deploymentId]).ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseExpiresAt, expires), cancellationToken);
        if (held == 0)
        {
            throw new LeaseLostException(deploymentId, node.Name);
        }
    }

    /// <summary>
    /// Takes an orphaned deployment from the node that held it, if it is still exactly as read (same owner, same expiry):
    /// a node that renewed its lease meanwhile keeps it. Call inside the transaction that then ends the deployment.
    /// </summary>
    public async Task<bool> TakeOverAsync(AutoDeployDbContext db, OrphanedDeployment orphan, CancellationToken cancellationToken)
    {
        var expires = Expiry();
        return await db.Deployments
            .Where(d => d.Id == orphan.Id && d.State == DeploymentState.Executing
                && d.ExecutingNode == orphan.Node && d.LeaseExpiresAt == orphan.LeaseExpiresAt)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ExecutingNode, node.Name).SetProperty(d => d.LeaseExpiresAt, expires),
                cancellationToken) == 1;
    }

    /// <summary>
    /// Executing deployments nobody holds: their lease expired (or they have none, from before leases existed), or,
    /// with <paramref name="includeOwnLeftovers"/>, an earlier run of this node's name held them.
    /// </summary>
    public async Task<List<OrphanedDeployment>> FindOrphanedAsync(AutoDeployDbContext db, bool includeOwnLeftovers,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.Deployments.AsNoTracking()
            .Where(d => d.State == DeploymentState.Executing)
            .Where(d => d.LeaseExpiresAt == null || d.LeaseExpiresAt < now || (includeOwnLeftovers && d.ExecutingNode == node.Name))
            .OrderBy(d => d.Id)
            .Select(d => new OrphanedDeployment(d.Id, d.ExecutingNode, d.LeaseExpiresAt))
            .ToListAsync(cancellationToken);
    }

    private IQueryable<Deployment> Owned(AutoDeployDbContext db, IReadOnlyCollection<int> deploymentIds) =>
        db.Deployments.Where(d => deploymentIds.Contains(d.Id) && d.State == DeploymentState.Executing && d.ExecutingNode == node.Name);

    private DateTimeOffset Expiry() => time.GetUtcNow() + node.LeaseDuration;

    private static bool IsUniqueViolation(Exception ex) => (ex is DbUpdateException { InnerException: { } inner } ? inner : ex) switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode == 2067,
        _ => false,
    };
}

/// <summary>An executing deployment whose node stopped holding it, as read.</summary>
public sealed record OrphanedDeployment(int Id, string? Node, DateTimeOffset? LeaseExpiresAt);

/// <summary>A node tried to write about a deployment it no longer owns (another node took it over).</summary>
public sealed class LeaseLostException(int deploymentId, string node)
    : Exception($"Node '{node}' no longer holds deployment {deploymentId}: another node took it over, so this node stops without writing.")
{
    public int DeploymentId { get; } = deploymentId;
}
