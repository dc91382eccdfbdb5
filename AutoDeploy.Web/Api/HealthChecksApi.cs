using AutoDeploy.Web.Data;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Api;

/// <summary>
/// Manual health checks as tasks with a log: started on a machine or an environment with
/// <see cref="Policies.Administer"/>, read at <c>/api/health-checks/{id}</c> with <see cref="Policies.View"/>.
/// </summary>
public static class HealthChecksApi
{
    public static RouteGroupBuilder MapHealthChecksApi(this RouteGroupBuilder api)
    {
        api.MapPost("/machines/{id:int}/health-check", (int id, HealthCheckService service, HealthCheckRunQueries runs, CancellationToken ct) =>
                StartAsync(service.StartRunAsync(id, null, ct), runs, ct))
            .RequireAuthorization(Policies.Administer)
            .WithTags("Health checks")
            .Produces<HealthCheckRunDetails>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Checks the machine's health now, as a task with a log; poll the run at the Location given");

        api.MapPost("/environments/{id:int}/health-check", (int id, HealthCheckService service, HealthCheckRunQueries runs, CancellationToken ct) =>
                StartAsync(service.StartRunAsync(null, id, ct), runs, ct))
            .RequireAuthorization(Policies.Administer)
            .WithTags("Health checks")
            .Produces<HealthCheckRunDetails>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Checks the health of every machine in the environment now, as one task with a log");

        var runs = api.MapGroup("/health-checks").WithTags("Health checks").RequireAuthorization(Policies.View);

        runs.MapGet("/{id:int}", async (int id, HealthCheckRunQueries queries, CancellationToken ct) =>
                await queries.GetAsync(id, ct) is { } run ? Results.Ok(run) : NotFound(id))
            .Produces<HealthCheckRunDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A health-check run: its state (Executing, then Success or Failed), summary, and each machine's current health");

        runs.MapGet("/{id:int}/log", async (int id, long? after, int? take, HealthCheckRunQueries queries, CancellationToken ct) =>
                Paging.Problem(take, HealthCheckRunQueries.MaxLogPage, ("after", after))
                ?? (await queries.GetLogAsync(id, after ?? 0, take ?? LogPage.DefaultTake, ct) is { } page ? Results.Ok(page) : NotFound(id)))
            .Produces<LogPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary($"The run's log lines after the line id 'after', oldest first; at most 'take' (up to {HealthCheckRunQueries.MaxLogPage}). " +
                         "'nextAfter' is set while there may be more");
        return api;
    }

    private static async Task<IResult> StartAsync(Task<SaveResult<int>> start, HealthCheckRunQueries runs, CancellationToken ct)
    {
        var started = await start;
        if (!started.Result.Succeeded)
        {
            return started.Result.ToProblem();
        }
        var run = await runs.GetAsync(started.Value, ct);
        return TypedResults.Accepted($"/api/health-checks/{started.Value}", run);
    }

    private static IResult NotFound(int id) => SaveResult.NotFound($"Health-check run {id} does not exist.").ToProblem();
}
