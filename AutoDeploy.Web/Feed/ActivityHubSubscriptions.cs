using System.Collections.Concurrent;

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

/// <summary>
/// The subscriptions of this node's hub connections. Kept here rather than as SignalR groups so an event that
/// matches several subscriptions of one connection is still sent to it once.
/// </summary>
public sealed class ActivityHubSubscriptions
{
    private readonly ConcurrentDictionary<string, HashSet<ActivityScope>> _byConnection = new();

    public void Add(string connectionId, ActivityScope scope)
    {
        var scopes = _byConnection.GetOrAdd(connectionId, _ => []);
        lock (scopes)
        {
            scopes.Add(scope);
        }
    }

    public void Remove(string connectionId) => _byConnection.TryRemove(connectionId, out _);

    /// <summary>The connections with a subscription that the event matches.</summary>
    public IReadOnlyList<string> ConnectionsFor(ActivityEvent activity)
    {
        List<string>? connections = null;
        foreach (var (connectionId, scopes) in _byConnection)
        {
            bool matches;
            lock (scopes)
            {
                matches = scopes.Any(s => s.Matches(activity));
            }
            if (matches)
            {
                (connections ??= []).Add(connectionId);
            }
        }
        return connections ?? [];
    }
}
