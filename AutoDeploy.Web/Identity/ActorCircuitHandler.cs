using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// Names the signed-in user as the actor of everything a circuit does (clicks, form submits), so events
/// written from Blazor pages say who. HTTP requests get theirs from the middleware of <c>UseAutoDeployIdentity</c>.
/// </summary>
public sealed class ActorCircuitHandler(AuthenticationStateProvider authentication) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await authentication.GetAuthenticationStateAsync();
            var identity = state.User.Identity;
            using (ActorContext.Use(identity?.IsAuthenticated == true ? identity.Name : null))
            {
                await next(context);
            }
        };
}
