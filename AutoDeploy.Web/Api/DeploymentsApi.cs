using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Api;

public static class DeploymentsApi
{
    public static RouteGroupBuilder MapDeploymentsApi(this RouteGroupBuilder api)
    {
        var deployments = api.MapGroup("/deployments").WithTags("Deployments");

        deployments.MapGet("", ListAsync)
            .RequireAuthorization(Policies.View)
            .Produces<IReadOnlyList<DeploymentSummary>>()
            .ProducesValidationProblem()
            .WithSummary("Deployments newest first, filtered by project, environment, machine and state; page with before= (the last id seen)");

        deployments.MapPost("", async Task<IResult> (DeployRequest request, DeploymentService service, CancellationToken ct) =>
            {
                var result = await service.QueueAsync(request, ct);
                return result.Result.Succeeded
                    ? TypedResults.Created($"/api/deployments/{result.Value!.Id}", result.Value)
                    : result.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces<DeploymentSummary>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Queues a deployment of a release to an environment: every matching machine, or the machine ids given");

        deployments.MapGet("/{id:int}", async Task<IResult> (int id, DeploymentService service, CancellationToken ct) =>
                await service.GetAsync(id, ct) is { } details ? TypedResults.Ok(details) : NotFound(id))
            .RequireAuthorization(Policies.View)
            .Produces<DeploymentDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One deployment: its state, the node running it, and a result per machine per step");

        deployments.MapGet("/{id:int}/log", async Task<IResult> (int id, long? after, int? take, DeploymentService service, CancellationToken ct) =>
                Paging.Problem(take, DeploymentService.MaxLogPage, ("after", after))
                ?? (await service.GetLogAsync(id, after ?? 0, take ?? LogPage.DefaultTake, ct) is { } page ? TypedResults.Ok(page) : NotFound(id)))
            .RequireAuthorization(Policies.View)
            .Produces<LogPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A deployment's log lines after the line id given, oldest first; nextAfter is the cursor of the next page");

        deployments.MapPost("/{id:int}/cancel", async Task<IResult> (int id, DeploymentService service, CancellationToken ct) =>
            {
                var result = await service.CancelAsync(id, ct);
                return result.Succeeded ? TypedResults.Accepted($"/api/deployments/{id}") : result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Asks a queued or running deployment to stop: running scripts are told to stop and the rest is skipped");

        deployments.MapPost("/{id:int}/retry", async Task<IResult> (int id, DeploymentService service, CancellationToken ct) =>
            {
                var result = await service.RetryAsync(id, ct);
                return result.Result.Succeeded
                    ? TypedResults.Created($"/api/deployments/{result.Value!.Id}", result.Value)
                    : result.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces<DeploymentSummary>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Retries a finished deployment on its machines that failed or timed out: a new deployment of its release to its environment, linked to it");

        api.MapGet("/machines/{id:int}/releases", async Task<IResult> (int id, DeploymentService service, CancellationToken ct) =>
                await service.GetMachineReleasesAsync(id, ct) is { } releases
                    ? TypedResults.Ok(releases)
                    : SaveResult.NotFound($"Machine {id} was not found.").ToProblem())
            .RequireAuthorization(Policies.View)
            .WithTags("Machines")
            .Produces<IReadOnlyList<MachineRelease>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("For each project, the release of the latest successful deployment to the machine");
        return api;
    }

    private static async Task<IResult> ListAsync(int? projectId, int? environmentId, int? machineId, string? state, long? before, int? take,
        DeploymentService service, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = EnumQuery.Parse<DeploymentState>(errors, "state", state, "state");
        Paging.Check(errors, take, DeploymentService.MaxListPage, ("before", before));
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The filter or page asked for is not valid.");
        }
        var filter = new DeploymentFilter(projectId, environmentId, machineId, wanted);
        return TypedResults.Ok(await service.ListAsync(filter, before, take ?? DeploymentService.DefaultListPage, ct));
    }

    private static IResult NotFound(int id) => SaveResult.NotFound($"Deployment {id} does not exist.").ToProblem();
}
