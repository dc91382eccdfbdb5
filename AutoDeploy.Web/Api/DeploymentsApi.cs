using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Api;

public static class DeploymentsApi
{
    public static RouteGroupBuilder MapDeploymentsApi(this RouteGroupBuilder api)
    {
        var deployments = api.MapGroup("/deployments").WithTags("Deployments");

        deployments.MapGet("", async (int? projectId, int? environmentId, int? take, DeploymentService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(projectId, environmentId, take ?? 50, ct)))
            .RequireAuthorization(Policies.View);

        deployments.MapPost("", async Task<IResult> (DeployRequest request, DeploymentService service, CancellationToken ct) =>
            {
                var result = await service.QueueAsync(request, ct);
                return result.Result.Succeeded
                    ? TypedResults.Created($"/api/deployments/{result.Value!.Id}", result.Value)
                    : result.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy);

        deployments.MapGet("/{id:int}", async Task<IResult> (int id, DeploymentService service, CancellationToken ct) =>
                await service.GetAsync(id, ct) is { } details ? TypedResults.Ok(details) : NotFound(id))
            .RequireAuthorization(Policies.View);

        deployments.MapGet("/{id:int}/log", async (int id, long? after, int? take, DeploymentService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetLogAsync(id, after ?? 0, take ?? 1000, ct)))
            .RequireAuthorization(Policies.View);

        deployments.MapPost("/{id:int}/cancel", async Task<IResult> (int id, DeploymentService service, CancellationToken ct) =>
            {
                var result = await service.CancelAsync(id, ct);
                return result.Succeeded ? TypedResults.Accepted($"/api/deployments/{id}") : result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy);

        api.MapGet("/machines/{id:int}/releases", async (int id, DeploymentService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetMachineReleasesAsync(id, ct)))
            .RequireAuthorization(Policies.View)
            .WithTags("Machines");
        return api;
    }

    private static IResult NotFound(int id) =>
        TypedResults.Problem($"Deployment {id} does not exist.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
