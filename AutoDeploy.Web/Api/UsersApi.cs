using System.Security.Claims;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Identity;

namespace AutoDeploy.Web.Api;

/// <summary>
/// <c>/api/users</c>: administrators list, add, assign roles to, disable and delete users (the last administrator is kept).
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").RequireAuthorization(Policies.Administer).WithTags("Users");
        users.MapGet("/", async (UserService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .WithSummary("Every user with their role assignments (and a one-word summary of them), by email");
        users.MapPost("/", async Task<IResult> (NewUserInput input, UserService service, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(input, ct);
                return created.Result.Succeeded
                    ? TypedResults.Created($"/api/users/{created.Value!.Id}", created.Value)
                    : created.Result.ToProblem();
            })
            .Produces<UserSummary>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .WithSummary("Adds a user with a password and a role preset (Administrator, Deployer or Viewer) or role assignments");
        users.MapPut("/{id}/role", async Task<IResult> (string id, RoleRequest request, ClaimsPrincipal caller, UserService service,
                CancellationToken ct) =>
            {
                var result = await service.ChangeRoleAsync(id, request.Role ?? "", CallerId(caller), ct);
                return result.Succeeded ? TypedResults.NoContent() : result.ToProblem();
            })
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Gives a user a role preset instead of their assignments; signs them out within a minute (409: your own role, or the last administrator)");
        users.MapPut("/{id}/assignments", async Task<IResult> (string id, AssignmentsRequest request, ClaimsPrincipal caller,
                UserService service, CancellationToken ct) =>
            {
                var result = await service.SetAssignmentsAsync(id, request.Assignments, CallerId(caller), ct);
                return result.Succeeded ? TypedResults.NoContent() : result.ToProblem();
            })
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Replaces a user's role assignments, each a role limited to environments and projects (none: all); " +
                         "signs them out within a minute and closes their hub connections (409: your own, or the last administrator)");
        users.MapPost("/{id}/disable", (string id, ClaimsPrincipal caller, UserService service, CancellationToken ct) =>
                SetDisabledAsync(id, true, caller, service, ct))
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Disables a user: no sign-in, API keys refused, sessions end within a minute (409: yourself, or the last enabled administrator)");
        users.MapPost("/{id}/enable", (string id, ClaimsPrincipal caller, UserService service, CancellationToken ct) =>
                SetDisabledAsync(id, false, caller, service, ct))
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Enables a disabled user again (409: yourself)");
        users.MapDelete("/{id}", async Task<IResult> (string id, ClaimsPrincipal caller, UserService service, CancellationToken ct) =>
            {
                var result = await service.DeleteAsync(id, CallerId(caller), ct);
                return result.Succeeded ? TypedResults.NoContent() : result.ToProblem();
            })
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Deletes a user and their API keys (409: yourself, or the last administrator)");
        return api;
    }

    private static async Task<IResult> SetDisabledAsync(string id, bool disabled, ClaimsPrincipal caller, UserService service,
        CancellationToken ct)
    {
        var result = await service.SetDisabledAsync(id, disabled, CallerId(caller), ct);
        return result.Succeeded ? TypedResults.NoContent() : result.ToProblem();
    }

    /// <summary>The signed-in user's or API key owner's id.</summary>
    public static string CallerId(ClaimsPrincipal caller) =>
        caller.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authenticated caller has an id.");
}

/// <summary>
/// The body of <c>PUT /api/users/{id}/assignments</c>: e.g. <c>[{ "role": "Deployer", "environmentIds": [2, 3] }]</c>;
/// roles Administrator, ProjectEditor, Deployer, Viewer.
/// </summary>
public sealed record AssignmentsRequest(List<RoleAssignmentInput>? Assignments);

/// <summary>The body of <c>PUT /api/users/{id}/role</c>.</summary>
public sealed record RoleRequest(string? Role);
