using AutoDeploy.Domain.Fleet;
using AutoDeploy.Web.Fleet;
using AutoDeploy.Web.Identity;

namespace AutoDeploy.Web.Api;

/// <summary><c>GET /api/fleet</c>: fleet drift, one row per machine and project, with the counts per state.</summary>
public static class FleetApi
{
    public static RouteGroupBuilder MapFleetApi(this RouteGroupBuilder api)
    {
        api.MapGet("/fleet", ListAsync)
            .RequireAuthorization(Policies.View)
            .WithTags("Fleet")
            .Produces<FleetList>()
            .ProducesValidationProblem()
            .WithSummary("Fleet drift: per machine and project, the release it should have and why, the release it has and its state " +
                         "(Current, Pending, Waiting, Behind, Blocked, NotCovered), with the counts per state; page with after= (nextAfter)");
        return api;
    }

    private static async Task<IResult> ListAsync(int? environmentId, string? role, int? projectId, string? state, string? after, int? take,
        FleetService fleet, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = EnumQuery.Parse<DriftState>(errors, "state", state, "state");
        Paging.Check(errors, take, FleetQuery.MaxTake);
        FleetCursor? cursor = null;
        if (!string.IsNullOrWhiteSpace(after))
        {
            if (FleetCursor.TryParse(after.Trim(), out var parsed))
            {
                cursor = parsed;
            }
            else
            {
                errors["after"] = ["'after' must be the nextAfter of a page, e.g. '12-3' (machine 12, project 3)."];
            }
        }
        foreach (var (parameter, messages) in await fleet.RefusalsAsync(environmentId, projectId, ct))
        {
            errors[parameter] = messages;
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The filter or page asked for is not valid.");
        }
        var query = new FleetQuery(environmentId, role, projectId, wanted, cursor, Take: take ?? FleetQuery.DefaultTake);
        return TypedResults.Ok(await fleet.QueryAsync(query, ct));
    }
}
