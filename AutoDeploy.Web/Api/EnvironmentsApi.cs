using AutoDeploy.Domain.Environments;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Api;

/// <summary><c>/api/environments</c>: read with <see cref="Policies.View"/>, change with <see cref="Policies.Administer"/>.</summary>
public static class EnvironmentsApi
{
    public static RouteGroupBuilder MapEnvironmentsApi(this RouteGroupBuilder api)
    {
        var environments = api.MapGroup("/environments").WithTags("Environments").RequireAuthorization(Policies.View);

        environments.MapGet("/", async (EnvironmentService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(await service.ListAsync(cancellationToken)))
            .WithSummary("Every environment in display order, with its deployment targets counted by health");

        environments.MapGet("/{id:int}", async (int id, EnvironmentService service, CancellationToken cancellationToken) =>
                await service.GetAsync(id, cancellationToken) is { } environment
                    ? Results.Ok(environment)
                    : SaveResult.NotFound($"Environment {id} does not exist.").ToProblem())
            .Produces<EnvironmentSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One environment");

        environments.MapPost("/", async (EnvironmentRequest request, EnvironmentService service, CancellationToken cancellationToken) =>
            {
                var saved = await service.CreateAsync(request.ToInput(), cancellationToken);
                return saved.Result.Succeeded
                    ? Results.Created($"/api/environments/{saved.Value!.Id}", saved.Value)
                    : saved.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Administer)
            .Produces<EnvironmentSummary>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates an environment at the end of the order");

        environments.MapPut("/{id:int}", async (int id, EnvironmentRequest request, EnvironmentService service, CancellationToken cancellationToken) =>
            {
                var saved = await service.UpdateAsync(id, request.ToInput(), request.Version, cancellationToken);
                return saved.Result.Succeeded ? Results.Ok(saved.Value) : saved.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Administer)
            .Produces<EnvironmentSummary>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Renames and describes an environment; a given version that is no longer current is refused with 409");

        environments.MapDelete("/{id:int}", async (int id, EnvironmentService service, CancellationToken cancellationToken) =>
            {
                var deleted = await service.DeleteAsync(id, cancellationToken);
                return deleted.Succeeded ? Results.NoContent() : deleted.ToProblem();
            })
            .RequireAuthorization(Policies.Administer)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Deletes an environment; refused with 409 while deployment targets are in it");

        return api;
    }
}

/// <summary>The body of <c>POST</c> and <c>PUT /api/environments</c>. <c>Version</c> (PUT only) is the version the client read.</summary>
public sealed record EnvironmentRequest(string? Name, string? Description, int? Version = null)
{
    public EnvironmentInput ToInput() => new() { Name = Name ?? "", Description = Description };
}
