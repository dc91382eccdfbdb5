using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AutoDeploy.Web.Api;

/// <summary>Deployment targets: <c>/api/machines</c> and agent registration.</summary>
public static class MachinesApi
{
    public static RouteGroupBuilder MapMachinesApi(this RouteGroupBuilder api)
    {
        var machines = api.MapGroup("/machines").WithTags("Machines");
        machines.MapGet("/", ListAsync).RequireAuthorization(Policies.View)
            .WithSummary("Machines by name, filtered by environment (id or name), role, health, enabled and a search of names; skip and take page");
        machines.MapGet("/{id:int}", GetAsync).RequireAuthorization(Policies.View)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One machine: environments, roles, policy, health, agent version and its last contact");
        machines.MapGet("/{id:int}/readiness", async Task<IResult> (int id, ReadinessLoader readiness, CancellationToken ct) =>
                await readiness.LoadAsync(id, ct) is { } answer ? TypedResults.Ok(answer) : SaveResult.NotFound($"Machine {id} was not found.").ToProblem())
            .RequireAuthorization(Policies.View)
            .Produces<MachineReadiness>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Whether the machine has every release its triggers say it should (what the agent's wait-ready waits for)");
        machines.MapPut("/{id:int}", UpdateAsync).RequireAuthorization(Policies.Administer)
            .Produces<MachineDetails>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Changes a machine's name, environments, roles, policy and enabled; a given version that is no longer current is a 409");
        machines.MapPost("/{id:int}/enable", (int id, MachineService service, CancellationToken ct) => SetEnabledAsync(id, true, service, ct))
            .RequireAuthorization(Policies.Administer)
            .Produces<MachineDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Enables a machine: deployments and triggers include it again (MachineEnabled)");
        machines.MapPost("/{id:int}/disable", (int id, MachineService service, CancellationToken ct) => SetEnabledAsync(id, false, service, ct))
            .RequireAuthorization(Policies.Administer)
            .Produces<MachineDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Disables a machine: deployments and triggers leave it out until it is enabled again (MachineDisabled)");
        machines.MapDelete("/{id:int}", DeleteAsync).RequireAuthorization(Policies.Administer)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Deletes a machine and cancels its open jobs; its agent's token is refused from now on");
        // Anonymous as far as the pipeline goes: the handler accepts an administrator (API key or sign-in) or an enrolment token.
        machines.MapPost("/register", RegisterAsync).AllowAnonymous().ForRegistration()
            .Produces<RegistrationResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("An agent registers its machine, with an administrator's X-Api-Key or an enrolment token in " +
                         "X-Enrolment-Token (401: no credential, or a token unknown, expired, used up or revoked; 403: not an " +
                         "administrator, or environments, roles or policy outside the token's scope; the detail says why)");
        return api;
    }

    /// <summary><c>GET /api/machines?environment=&amp;role=&amp;health=&amp;enabled=&amp;search=&amp;skip=&amp;take=</c>; environment by id or name.</summary>
    private static async Task<Results<Ok<MachineList>, ValidationProblem>> ListAsync(
        MachineService service, string? environment, string? role, string? health, bool? enabled, string? search,
        int? skip, int? take, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        int? environmentId = null;
        if (!string.IsNullOrWhiteSpace(environment))
        {
            environmentId = await service.FindEnvironmentIdAsync(environment.Trim(), cancellationToken);
            if (environmentId is null)
            {
                errors["environment"] = [$"Unknown environment: '{environment.Trim()}'."];
            }
        }
        var healthStatus = EnumQuery.Parse<MachineHealthStatus>(errors, "health", health, "health status");
        Paging.Check(errors, take, MachineQuery.MaxTake, ("skip", skip));
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = new MachineQuery(search, environmentId, role, healthStatus, enabled, skip ?? 0, take ?? MachineQuery.DefaultTake);
        return TypedResults.Ok(await service.QueryAsync(query, cancellationToken));
    }

    private static async Task<Results<Ok<MachineDetails>, ProblemHttpResult>> GetAsync(
        int id, MachineService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } machine
            ? TypedResults.Ok(machine)
            : TypedResults.Problem($"Machine {id} was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>Missing fields keep their current value: policy and enabled; name, environments and roles are required.</summary>
    private static async Task<IResult> UpdateAsync(
        int id, MachineUpdateRequest request, MachineService service, CancellationToken cancellationToken)
    {
        var isEnabled = request.IsEnabled;
        if (isEnabled is null)
        {
            var current = await service.GetAsync(id, cancellationToken);
            if (current is null)
            {
                return SaveResult.NotFound($"Machine {id} was not found.").ToProblem();
            }
            isEnabled = current.IsEnabled;
        }
        var input = new MachineInput
        {
            Name = request.Name ?? "",
            EnvironmentIds = request.EnvironmentIds ?? [],
            Roles = request.Roles ?? [],
            MachinePolicyId = request.MachinePolicyId,
            IsEnabled = isEnabled.Value,
        };
        var result = await service.UpdateAsync(id, input, request.Version, cancellationToken);
        if (!result.Succeeded)
        {
            return result.ToProblem();
        }
        return TypedResults.Ok(await service.GetAsync(id, cancellationToken));
    }

    private static async Task<IResult> SetEnabledAsync(int id, bool enabled, MachineService service, CancellationToken cancellationToken)
    {
        var result = await service.SetEnabledAsync(id, enabled, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(await service.GetAsync(id, cancellationToken)) : result.ToProblem();
    }

    private static async Task<IResult> DeleteAsync(int id, MachineService service, CancellationToken cancellationToken)
    {
        var result = await service.DeleteAsync(id, cancellationToken);
        return result.Succeeded ? TypedResults.NoContent() : result.ToProblem();
    }

    /// <summary>
    /// An agent registers its machine; the token in the answer is never shown again. With an <c>X-Enrolment-Token</c>
    /// header the token alone decides (an API key sent beside it is not used); otherwise the caller must be an administrator.
    /// </summary>
    private static async Task<IResult> RegisterAsync(
        RegistrationRequest request, HttpContext context, MachineRegistrationService service, CancellationToken cancellationToken)
    {
        SaveResult<RegistrationResponse> saved;
        if (context.Request.Headers.TryGetValue(EnrolmentTokenHeader, out var secret))
        {
            saved = await service.RegisterWithTokenAsync(secret.ToString(), request, cancellationToken);
        }
        else if (context.User.Identity?.IsAuthenticated != true)
        {
            saved = SaveResult.Unauthorized(
                $"Registering a machine needs an enrolment token in the {EnrolmentTokenHeader} header or an administrator's API key in X-Api-Key.");
        }
        else if (!context.User.IsInRole(Roles.Administrator))
        {
            saved = SaveResult.Forbidden("Only an administrator's API key registers machines; machines use an enrolment token instead.");
        }
        else
        {
            saved = await service.RegisterAsync(request, cancellationToken);
        }
        var (result, registration) = saved;
        return result.Succeeded ? TypedResults.Created($"/api/machines/{registration!.MachineId}", registration) : result.ToProblem();
    }

    /// <summary>The header that carries an enrolment token's secret to <c>POST /api/machines/register</c>.</summary>
    public const string EnrolmentTokenHeader = "X-Enrolment-Token";
}

/// <summary>The body of <c>PUT /api/machines/{id}</c>; <c>version</c> (optional) refuses a stale copy with 409.</summary>
public sealed record MachineUpdateRequest(
    string? Name, List<int>? EnvironmentIds, List<string>? Roles, int? MachinePolicyId, bool? IsEnabled, int? Version);
