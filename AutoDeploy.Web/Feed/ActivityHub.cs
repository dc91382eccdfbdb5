using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace AutoDeploy.Web.Feed;

/// <summary>What <c>/hubs/activity</c> calls on its clients.</summary>
public interface IActivityClient
{
    /// <summary>One committed event that matches the connection's subscriptions; in commit order, each event once.</summary>
    Task Event(ActivityEvent activity);
}

/// <summary>
/// The live feed for clients outside the browser (cookie or <c>X-Api-Key</c>, any role). A connection receives
/// nothing until it subscribes: to everything, or to any number of projects, environments and machines.
/// </summary>
[Authorize(Policy = Policies.View)]
public sealed class ActivityHub(ActivityHubSubscriptions subscriptions) : Hub<IActivityClient>
{
    public const string Path = "/hubs/activity";

    public void SubscribeAll() => subscriptions.Add(Context.ConnectionId, ActivityScope.All);

    public void SubscribeProject(int projectId) => subscriptions.Add(Context.ConnectionId, new(ActivityScopeKind.Project, projectId));

    /// <summary>The environment's events and those of the machines in it.</summary>
    public void SubscribeEnvironment(int environmentId) =>
        subscriptions.Add(Context.ConnectionId, new(ActivityScopeKind.Environment, environmentId));

    public void SubscribeMachine(int machineId) => subscriptions.Add(Context.ConnectionId, new(ActivityScopeKind.Machine, machineId));

    /// <summary>Drops every subscription of this connection.</summary>
    public void Unsubscribe() => subscriptions.Remove(Context.ConnectionId);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
