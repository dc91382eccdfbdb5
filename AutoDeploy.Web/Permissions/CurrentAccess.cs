using System.Security.Claims;
using AutoDeploy.Domain.Permissions;
using Microsoft.AspNetCore.Components.Authorization;

namespace AutoDeploy.Web.Permissions;

/// <summary>
/// The <see cref="Access"/> of whoever the scope serves, read once per scope: an HTTP request (its user, set by the
/// middleware of <c>UseAutoDeployIdentity</c>) or a Blazor circuit (the circuit's signed-in user). A circuit of a user whose
/// assignments change is signed out within a minute (security stamp), so its copy never outlives that by long.
/// </summary>
public sealed class CurrentAccess
{
    private readonly IServiceProvider? _services;
    private readonly AccessLoader? _loader;
    private ClaimsPrincipal? _principal;
    private Task<Access>? _access;

    public CurrentAccess(IServiceProvider services, AccessLoader loader)
    {
        _services = services;
        _loader = loader;
    }

    private CurrentAccess(Access access) => _access = Task.FromResult(access);

    /// <summary>A fixed access, for component tests and the server's own work.</summary>
    public static CurrentAccess For(Access access) => new(access);

    /// <summary>A given access for this scope: the server's own work (<see cref="Access.System"/>), tests.</summary>
    public void Use(Access access)
    {
        _principal = null;
        _access = Task.FromResult(access);
    }

    /// <summary>The user of the HTTP request this scope serves.</summary>
    public void UseRequestUser(ClaimsPrincipal principal)
    {
        _principal = principal;
        _access = null;
    }

    public Task<Access> GetAsync(CancellationToken cancellationToken = default) => _access ??= LoadAsync(cancellationToken);

    private async Task<Access> LoadAsync(CancellationToken cancellationToken)
    {
        var principal = _principal ?? await CircuitUserAsync();
        var userId = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is null || principal!.Identity?.IsAuthenticated != true
            ? Access.None
            : await _loader!.LoadAsync(userId, cancellationToken);
    }

    private async Task<ClaimsPrincipal?> CircuitUserAsync()
    {
        if (_services!.GetService(typeof(AuthenticationStateProvider)) is not AuthenticationStateProvider provider)
        {
            return null;
        }
        try
        {
            return (await provider.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            // Not a circuit: a scope no request or circuit set a user for sees nothing.
            return null;
        }
    }
}
