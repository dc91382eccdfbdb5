using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Feed;

/// <summary>
/// Closes hub connections whose user lost what the connection was opened with: a revoked API key, a deleted or disabled
/// user, changed role assignments (a client reconnects with its new access, or is refused). Run by the feed when an identity
/// event commits, on every node, so it takes as long as the feed: at once on this node, within the scan interval on others.
/// </summary>
public sealed class HubAccessGuard(ActivityHubSubscriptions subscriptions, AccessLoader loader,
    IDbContextFactory<AutoDeployDbContext> factory, ILogger<HubAccessGuard> logger)
{
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var connections = subscriptions.Connections;
        if (connections.Count == 0)
        {
            return;
        }
        var keyIds = connections.Select(c => c.ApiKeyId).OfType<int>().Distinct().ToList();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var liveKeys = (await db.ApiKeys.Where(k => keyIds.Contains(k.Id) && k.RevokedAt == null).Select(k => k.Id)
            .ToListAsync(cancellationToken)).ToHashSet();
        foreach (var user in connections.GroupBy(c => c.UserId))
        {
            var access = await loader.LoadAsync(user.Key, cancellationToken);
            var now = string.Join(";", access.Assignments.Select(a => a.Key));
            foreach (var connection in user)
            {
                var revoked = connection.ApiKeyId is { } key && !liveKeys.Contains(key);
                if (revoked || now != string.Join(";", connection.Access.Assignments.Select(a => a.Key)))
                {
                    logger.LogInformation("Closing hub connection {ConnectionId} of user {UserId}: {Reason}", connection.Context.ConnectionId,
                        user.Key, revoked ? "its API key was revoked" : "the user's access changed");
                    subscriptions.Remove(connection.Context.ConnectionId);
                    connection.Context.Abort();
                }
            }
        }
    }
}
