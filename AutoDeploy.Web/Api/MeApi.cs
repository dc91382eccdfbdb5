using System.Security.Claims;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Permissions;

namespace AutoDeploy.Web.Api;

/// <summary><c>/api/me</c>: who the caller is, and the caller's own API keys.</summary>
public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").RequireAuthorization(Policies.View).WithTags("Users");
        me.MapGet("", async (ClaimsPrincipal user, CurrentAccess current, CancellationToken ct) =>
            {
                var access = await current.GetAsync(ct);
                return TypedResults.Ok(new MeResponse(user.Identity!.Name!, [RolePresets.Summarize(access.Assignments)], access.Assignments));
            })
            .WithSummary("Who the caller is, their role in a word and their role assignments: a quick check of an API key");
        me.MapGet("/api-keys", async (ClaimsPrincipal user, ApiKeyService keys, CancellationToken ct) =>
                TypedResults.Ok(await keys.ListAsync(UsersApi.CallerId(user), ct)))
            .WithSummary("The caller's API keys, newest first: name, prefix, created, last used, revoked (never the key itself)");
        me.MapPost("/api-keys", async Task<IResult> (ApiKeyRequest request, ClaimsPrincipal user, ApiKeyService keys, CancellationToken ct) =>
            {
                var created = await keys.CreateAsync(UsersApi.CallerId(user), request.Name, ct);
                return created.Result.Succeeded
                    ? TypedResults.Created($"/api/me/api-keys/{created.Value!.Key.Id}", created.Value)
                    : created.Result.ToProblem();
            })
            .Produces<NewApiKey>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .WithSummary("Creates an API key with the caller's role; the answer's secret is the only time the key is shown");
        me.MapDelete("/api-keys/{id:int}", async Task<IResult> (int id, ClaimsPrincipal user, ApiKeyService keys, CancellationToken ct) =>
            {
                var revoked = await keys.RevokeAsync(UsersApi.CallerId(user), id, ct);
                return revoked.Succeeded ? TypedResults.NoContent() : revoked.ToProblem();
            })
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Revokes one of the caller's API keys: the next request with it is a 401");
        return api;
    }
}

/// <summary><see cref="Roles"/>: the assignments in a word (Administrator, Deployer, Viewer, Custom).</summary>
public sealed record MeResponse(string Name, string[] Roles, IReadOnlyList<RoleAssignment> Assignments);

/// <summary>The body of <c>POST /api/me/api-keys</c>: what the key is for, e.g. "CI pipeline".</summary>
public sealed record ApiKeyRequest(string? Name);
