using System.Security.Claims;
using AutoDeploy.Web.Identity;

namespace AutoDeploy.Web.Api;

public static class MeApi
{
    /// <summary><c>GET /api/me</c>: who the caller is, to check an API key.</summary>
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new MeResponse(
                user.Identity!.Name!, user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray())))
            .RequireAuthorization(Policies.View)
            .WithTags("Users");
        return api;
    }
}

public sealed record MeResponse(string Name, string[] Roles);
