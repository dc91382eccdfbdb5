using AutoDeploy.Domain.Projects;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Api;

/// <summary><c>/api/projects</c>: read with <see cref="Policies.View"/>, change with <see cref="Policies.Deploy"/>.</summary>
public static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects").RequireAuthorization(Policies.View);

        projects.MapGet("/", async (bool? includeArchived, ProjectService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(await service.ListAsync(includeArchived == true, cancellationToken)))
            .WithSummary("Every project by name, with its step count and latest release; archived projects only with includeArchived=true");

        projects.MapGet("/{id:int}", async (int id, ProjectService service, CancellationToken cancellationToken) =>
                await service.GetAsync(id, cancellationToken) is { } project ? Results.Ok(project) : NotFound(id))
            .Produces<ProjectDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One project with its process, variables (sensitive values masked) and connectivity settings");

        projects.MapPost("/", async (ProjectRequest request, ProjectService service, CancellationToken cancellationToken) =>
            {
                var saved = await service.CreateAsync(request.ToInput(), cancellationToken);
                return saved.Result.Succeeded ? Results.Created($"/api/projects/{saved.Value!.Id}", saved.Value) : saved.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces<ProjectDetails>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates a project");

        projects.MapPut("/{id:int}", async (int id, ProjectRequest request, ProjectService service, CancellationToken cancellationToken) =>
            {
                var saved = await service.UpdateAsync(id, request.ToInput(), request.Version, cancellationToken);
                return saved.Result.Succeeded ? Results.Ok(saved.Value) : saved.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces<ProjectDetails>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Replaces a project as a whole. A sensitive variable sent with the mask or no value keeps its stored value; " +
                         "a given version that is no longer current is refused with 409");

        projects.MapPost("/{id:int}/enable", (int id, ProjectService service, CancellationToken cancellationToken) =>
                SetEnabledAsync(id, true, service, cancellationToken))
            .RequireAuthorization(Policies.Deploy)
            .Produces<ProjectDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Enables a project");

        projects.MapPost("/{id:int}/disable", (int id, ProjectService service, CancellationToken cancellationToken) =>
                SetEnabledAsync(id, false, service, cancellationToken))
            .RequireAuthorization(Policies.Deploy)
            .Produces<ProjectDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Disables a project: triggers leave it alone");

        projects.MapPost("/{id:int}/archive", async (int id, ProjectService service, CancellationToken cancellationToken) =>
                ToResult(await service.ArchiveAsync(id, cancellationToken)))
            .RequireAuthorization(Policies.Deploy)
            .Produces<ProjectDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Archives a project: hidden from lists, its triggers ignored, no new releases or deployments, its history kept; " +
                         "refused with 409 while one of its deployments is in progress");

        projects.MapPost("/{id:int}/restore", async (int id, ProjectService service, CancellationToken cancellationToken) =>
                ToResult(await service.RestoreAsync(id, cancellationToken)))
            .RequireAuthorization(Policies.Deploy)
            .Produces<ProjectDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Restores an archived project as it was");

        projects.MapDelete("/{id:int}", async (int id, ProjectService service, CancellationToken cancellationToken) =>
            {
                var deleted = await service.DeleteAsync(id, cancellationToken);
                return deleted.Succeeded ? Results.NoContent() : deleted.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Deletes a project that never deployed, with its releases and triggers; one with deployments is refused with 409 " +
                         "(archive it instead)");

        return api;
    }

    private static async Task<IResult> SetEnabledAsync(int id, bool enabled, ProjectService service, CancellationToken cancellationToken) =>
        ToResult(await service.SetEnabledAsync(id, enabled, cancellationToken));

    private static IResult ToResult(SaveResult<ProjectDetails> saved) => saved.Result.Succeeded ? Results.Ok(saved.Value) : saved.Result.ToProblem();

    private static IResult NotFound(int id) => SaveResult.NotFound($"Project {id} does not exist.").ToProblem();
}

/// <summary>
/// The body of <c>POST</c> and <c>PUT /api/projects</c>, the same shape <c>GET</c> returns. <c>Version</c> (PUT only)
/// is the version the client read. Step timeouts are durations such as <c>"00:10:00"</c>.
/// </summary>
public sealed record ProjectRequest(
    string? Name,
    string? Description,
    bool? IsEnabled = null,
    List<DeploymentStep?>? Steps = null,
    List<VariableInput?>? Variables = null,
    ConnectivitySettings? Connectivity = null,
    int? Version = null)
{
    public ProjectInput ToInput() => new()
    {
        Name = Name ?? "",
        Description = Description,
        IsEnabled = IsEnabled ?? true,
        Steps = [.. (Steps ?? []).Select(s => s is null ? new DeploymentStep()
            : s with
            {
                Roles = s.Roles ?? [], PackageId = string.IsNullOrWhiteSpace(s.PackageId) ? null : s.PackageId.Trim(),
                SubstituteInFiles = s.SubstituteInFiles ?? [],
            })],
        Variables = [.. (Variables ?? []).Select(v => v ?? new VariableInput())],
        Connectivity = Connectivity is null
            ? new ConnectivitySettings()
            : Connectivity with { SkipUnavailableRoles = Connectivity.SkipUnavailableRoles ?? [] },
    };
}
