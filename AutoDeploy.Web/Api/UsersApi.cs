using AutoDeploy.Web.Identity;

namespace AutoDeploy.Web.Api;

public static class UsersApi
{
    /// <summary><c>GET/POST /api/users</c>: administrators list and add users.</summary>
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").RequireAuthorization(Policies.Administer).WithTags("Users");
        users.MapGet("/", async (UserService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)));
        users.MapPost("/", async (NewUserInput input, UserService service, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(input, ct);
            return created.Result.Succeeded
                ? Results.Created($"/api/users/{created.Value!.Id}", created.Value)
                : created.Result.ToProblem();
        });
        return api;
    }
}
