using AutoDeploy.Domain.Releases;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Api;

/// <summary>
/// <c>/api/projects/{id}/releases</c> and <c>/api/releases/{id}</c>: read with <see cref="Policies.View"/>,
/// create with <see cref="Policies.Deploy"/> (e.g. from CI).
/// </summary>
public static class ReleasesApi
{
    public static RouteGroupBuilder MapReleasesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/").WithTags("Releases").RequireAuthorization(Policies.View);

        group.MapGet("/projects/{projectId:int}/releases", async (int projectId, ReleaseService service, CancellationToken cancellationToken) =>
                await service.ListAsync(projectId, cancellationToken) is { } releases
                    ? Results.Ok(releases)
                    : SaveResult.NotFound($"Project {projectId} does not exist.").ToProblem())
            .Produces<IReadOnlyList<ReleaseSummary>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A project's releases, newest first by SemVer precedence");

        group.MapPost("/projects/{projectId:int}/releases", async (int projectId, ReleaseRequest request, ReleaseService service,
                CancellationToken cancellationToken) =>
            {
                var saved = await service.CreateAsync(projectId, request.ToInput(), cancellationToken);
                return saved.Result.Succeeded ? Results.Created($"/api/releases/{saved.Value!.Id}", saved.Value) : saved.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Deploy)
            .Produces<ReleaseDetails>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates a release: a snapshot of the project's process and variables under a SemVer version unique to the project");

        group.MapGet("/releases/{id:int}", async (int id, ReleaseService service, CancellationToken cancellationToken) =>
                await service.GetAsync(id, cancellationToken) is { } release
                    ? Results.Ok(release)
                    : SaveResult.NotFound($"Release {id} does not exist.").ToProblem())
            .Produces<ReleaseDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One release with its snapshot (sensitive values masked)");

        return api;
    }
}

/// <summary>The body of <c>POST /api/projects/{id}/releases</c>.</summary>
/// <summary>The body of <c>POST /api/projects/{id}/releases</c>; <c>packages</c>: <c>{ "Shop": "1.4.2" }</c>, the rest latest.</summary>
public sealed record ReleaseRequest(string? Version, string? Notes, Dictionary<string, string>? Packages = null)
{
    public ReleaseInput ToInput() => new() { Version = Version ?? "", Notes = Notes, Packages = Packages ?? [] };
}
