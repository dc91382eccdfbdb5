using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Api;

/// <summary>
/// <c>/api/projects/{id}/triggers</c>, <c>/api/triggers/{id}</c> and <c>/api/projects/{id}/auto-deploy-overrides</c>:
/// read with <see cref="Policies.View"/>, change with <see cref="Policies.Deploy"/>.
/// </summary>
public static class TriggersApi
{
    public static RouteGroupBuilder MapTriggersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/").WithTags("Triggers").RequireAuthorization(Policies.View);

        group.MapGet("/projects/{projectId:int}/triggers", async (int projectId, TriggerService service, CancellationToken cancellationToken) =>
                await service.ListAsync(projectId, cancellationToken) is { } triggers ? Results.Ok(triggers) : ProjectNotFound(projectId))
            .Produces<IReadOnlyList<TriggerDetails>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A project's triggers by name");

        group.MapPost("/projects/{projectId:int}/triggers", async (int projectId, TriggerRequest request, TriggerService service,
                CancellationToken cancellationToken) =>
            {
                var saved = await service.CreateAsync(projectId, request.ToInput(), cancellationToken);
                return saved.Result.Succeeded ? Results.Created($"/api/triggers/{saved.Value!.Id}", saved.Value) : saved.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces<TriggerDetails>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates a trigger: a name unique within the project, at least one event group or category; " +
                         "no environments or roles means all");

        group.MapGet("/triggers/{id:int}", async (int id, TriggerService service, CancellationToken cancellationToken) =>
                await service.GetAsync(id, cancellationToken) is { } trigger ? Results.Ok(trigger) : TriggerNotFound(id))
            .Produces<TriggerDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One trigger");

        group.MapPut("/triggers/{id:int}", async (int id, TriggerRequest request, TriggerService service, CancellationToken cancellationToken) =>
            {
                var saved = await service.UpdateAsync(id, request.ToInput(), request.Version, cancellationToken);
                return saved.Result.Succeeded ? Results.Ok(saved.Value) : saved.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces<TriggerDetails>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Replaces a trigger as a whole; a given version that is no longer current is refused with 409");

        group.MapPost("/triggers/{id:int}/enable", (int id, TriggerService service, CancellationToken cancellationToken) =>
                SetEnabledAsync(id, true, service, cancellationToken))
            .RequireAuthorization(Policies.Deploy)
            .Produces<TriggerDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Enables a trigger");

        group.MapPost("/triggers/{id:int}/disable", (int id, TriggerService service, CancellationToken cancellationToken) =>
                SetEnabledAsync(id, false, service, cancellationToken))
            .RequireAuthorization(Policies.Deploy)
            .Produces<TriggerDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Disables a trigger: the engine ignores it until it is enabled again");

        group.MapDelete("/triggers/{id:int}", async (int id, TriggerService service, CancellationToken cancellationToken) =>
            {
                var deleted = await service.DeleteAsync(id, cancellationToken);
                return deleted.Succeeded ? Results.NoContent() : deleted.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Deletes a trigger");

        group.MapAutoDeployOverrides();
        return api;
    }

    private static void MapAutoDeployOverrides(this RouteGroupBuilder group)
    {
        group.MapGet("/projects/{projectId:int}/auto-deploy-overrides", async (int projectId, AutoDeployOverrideService service,
                CancellationToken cancellationToken) =>
                await service.ListAsync(projectId, cancellationToken) is { } overrides ? Results.Ok(overrides) : ProjectNotFound(projectId))
            .Produces<IReadOnlyList<AutoDeployOverrideDetails>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The releases pinned for a project's auto-deploys, per environment");

        group.MapPut("/projects/{projectId:int}/auto-deploy-overrides/{environmentId:int}", async (int projectId, int environmentId,
                AutoDeployOverrideRequest request, AutoDeployOverrideService service, CancellationToken cancellationToken) =>
            {
                var saved = await service.SetAsync(projectId, environmentId, request.ReleaseId, cancellationToken);
                return saved.Result.Succeeded ? Results.Ok(saved.Value) : saved.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces<AutoDeployOverrideDetails>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Pins a release of the project for auto-deploys to the environment, replacing any override there; " +
                         "the next deployment of the project to the environment clears it");

        group.MapDelete("/projects/{projectId:int}/auto-deploy-overrides/{environmentId:int}", async (int projectId, int environmentId,
                AutoDeployOverrideService service, CancellationToken cancellationToken) =>
            {
                var cleared = await service.ClearAsync(projectId, environmentId, cancellationToken);
                return cleared.Succeeded ? Results.NoContent() : cleared.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Clears the project's auto-deploy override for the environment");
    }

    private static async Task<IResult> SetEnabledAsync(int id, bool enabled, TriggerService service, CancellationToken cancellationToken)
    {
        var saved = await service.SetEnabledAsync(id, enabled, cancellationToken);
        return saved.Result.Succeeded ? Results.Ok(saved.Value) : saved.Result.ToProblem();
    }

    private static IResult ProjectNotFound(int id) => SaveResult.NotFound($"Project {id} does not exist.").ToProblem();

    private static IResult TriggerNotFound(int id) => SaveResult.NotFound($"Trigger {id} does not exist.").ToProblem();
}

/// <summary>
/// The body of <c>POST /api/projects/{id}/triggers</c> and <c>PUT /api/triggers/{id}</c>, the same shape <c>GET</c> returns.
/// <c>Version</c> (PUT only) is the version the client read.
/// </summary>
public sealed record TriggerRequest(
    string? Name,
    string? Description = null,
    bool? IsEnabled = null,
    List<int>? EnvironmentIds = null,
    List<string?>? Roles = null,
    List<string?>? EventGroups = null,
    List<string?>? EventCategories = null,
    bool? Redeploy = null,
    int? Version = null,
    TriggerAction? Action = null)
{
    public TriggerInput ToInput() => new()
    {
        Name = Name ?? "",
        Description = Description,
        IsEnabled = IsEnabled ?? true,
        EnvironmentIds = EnvironmentIds ?? [],
        Roles = [.. (Roles ?? []).OfType<string>()],
        EventGroups = [.. (EventGroups ?? []).OfType<string>()],
        EventCategories = [.. (EventCategories ?? []).OfType<string>()],
        Redeploy = Redeploy ?? false,
        Action = Action ?? TriggerAction.DeployRelease,
    };
}

/// <summary>The body of <c>PUT /api/projects/{id}/auto-deploy-overrides/{environmentId}</c>.</summary>
public sealed record AutoDeployOverrideRequest(int? ReleaseId);
