using System.Collections.Concurrent;
using AutoDeploy.Domain.Permissions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Feed;

public enum ActivityScopeKind
{
    All,
    Project,
    Environment,
    Machine,
}

/// <summary>One subscription of a hub connection: everything, or one project, environment or machine.</summary>
public readonly record struct ActivityScope(ActivityScopeKind Kind, int Id)
{
    public static readonly ActivityScope All = new(ActivityScopeKind.All, 0);

    public bool Matches(ActivityEvent e) => Kind switch
    {
        ActivityScopeKind.All => true,
        ActivityScopeKind.Project => e.ProjectId == Id,
        ActivityScopeKind.Environment => e.EnvironmentIds.Contains(Id),
        ActivityScopeKind.Machine => e.MachineId == Id,
        _ => false,
    };
}

/// <summary>A hub connection on this node: whose it is (the user, the API key if it came with one), what they may see, and its subscriptions.</summary>
public sealed class HubConnectionEntry(HubCallerContext context, string userId, int? apiKeyId, Access access)
{
    public HubCallerContext Context { get; } = context;
    public string UserId { get; } = userId;
    public int? ApiKeyId { get; } = apiKeyId;
    public Access Access { get; } = access;
    internal HashSet<ActivityScope> Scopes { get; } = [];

    /// <summary>Whether the connection's user may see the event: identity events only administrators.</summary>
    public bool MaySee(ActivityEvent e) => e.VisibleTo(Access);
}

/// <summary>
/// The connections of this node's hub and their subscriptions. Kept here rather than as SignalR groups so an event that
/// matches several subscriptions of one connection is still sent to it once, only to connections whose user may see it,
/// and so a user's connections can be found and closed when their access changes (<see cref="HubAccessGuard"/>).
/// </summary>
public sealed class ActivityHubSubscriptions(IOptions<ActivityFeedOptions> options)
{
    private readonly ConcurrentDictionary<string, HubConnectionEntry> _byConnection = new();

    public int MaxPerConnection => Math.Max(1, options.Value.MaxSubscriptionsPerConnection);

    public void Connect(HubConnectionEntry connection) => _byConnection[connection.Context.ConnectionId] = connection;

    /// <summary>Adds a subscription; false when the connection already has <see cref="MaxPerConnection"/> (or is gone).</summary>
    public bool Add(string connectionId, ActivityScope scope)
    {
        if (!_byConnection.TryGetValue(connectionId, out var connection))
        {
            return false;
        }
        lock (connection.Scopes)
        {
            if (connection.Scopes.Contains(scope))
            {
                return true;
            }
            if (connection.Scopes.Count >= MaxPerConnection)
            {
                return false;
            }
            connection.Scopes.Add(scope);
            return true;
        }
    }

    /// <summary>Drops every subscription of the connection, which stays connected.</summary>
    public void Clear(string connectionId)
    {
        if (_byConnection.TryGetValue(connectionId, out var connection))
        {
            lock (connection.Scopes)
            {
                connection.Scopes.Clear();
            }
        }
    }

    public void Remove(string connectionId) => _byConnection.TryRemove(connectionId, out _);

    public IReadOnlyList<HubConnectionEntry> Connections => [.. _byConnection.Values];

    /// <summary>No hub connection at all.</summary>
    public bool IsEmpty => _byConnection.IsEmpty;

    /// <summary>The connections with a subscription that the event matches and whose user may see it.</summary>
    public IReadOnlyList<string> ConnectionsFor(ActivityEvent activity)
    {
        List<string>? connections = null;
        foreach (var (connectionId, connection) in _byConnection)
        {
            bool matches;
            lock (connection.Scopes)
            {
                matches = connection.Scopes.Any(s => s.Matches(activity));
            }
            if (matches && connection.MaySee(activity))
            {
                (connections ??= []).Add(connectionId);
            }
        }
        return connections ?? [];
    }
}
