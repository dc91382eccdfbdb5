using System.Globalization;
using System.Security.Claims;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Permissions;
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
/// nothing until it subscribes: to everything, or to any number (up to a limit) of projects, environments and machines;
/// of those, only the events its user may see (their role assignments as the connection opened).
/// </summary>
[Authorize(Policy = Policies.View)]
public sealed class ActivityHub(ActivityHubSubscriptions subscriptions, AccessLoader access) : Hub<IActivityClient>
{
    public const string Path = "/hubs/activity";

    public override async Task OnConnectedAsync()
    {
        var userId = Context.User?.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new HubException("The connection has no user.");
        int? keyId = int.TryParse(Context.User!.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim), NumberStyles.None,
            CultureInfo.InvariantCulture, out var id) ? id : null;
        subscriptions.Connect(new HubConnectionEntry(Context, userId, keyId, await access.LoadAsync(userId, Context.ConnectionAborted)));
        await base.OnConnectedAsync();
    }

    public void SubscribeAll() => Subscribe(ActivityScope.All);

    public void SubscribeProject(int projectId) => Subscribe(new(ActivityScopeKind.Project, projectId));

    /// <summary>The environment's events and those of the machines in it.</summary>
    public void SubscribeEnvironment(int environmentId) => Subscribe(new(ActivityScopeKind.Environment, environmentId));

    public void SubscribeMachine(int machineId) => Subscribe(new(ActivityScopeKind.Machine, machineId));

    /// <summary>Drops every subscription of this connection.</summary>
    public void Unsubscribe() => subscriptions.Clear(Context.ConnectionId);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private void Subscribe(ActivityScope scope)
    {
        if (!subscriptions.Add(Context.ConnectionId, scope))
        {
            throw new HubException($"A connection may hold at most {subscriptions.MaxPerConnection} subscriptions: " +
                                   "unsubscribe first, or subscribe to everything.");
        }
    }
}
