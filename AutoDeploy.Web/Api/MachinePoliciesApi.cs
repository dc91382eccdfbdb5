using System.Globalization;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using FluentValidation;

namespace AutoDeploy.Web.Api;

/// <summary><c>/api/machine-policies</c>: read with <see cref="Policies.View"/>, change with <see cref="Policies.Administer"/>.</summary>
public static class MachinePoliciesApi
{
    private const string Durations = "Durations (healthCheckInterval, deleteUnavailableAfter) are strings \"d.hh:mm:ss\", " +
                                     "e.g. \"00:05:00\" for 5 minutes or \"1.00:00:00\" for a day";

    public static RouteGroupBuilder MapMachinePoliciesApi(this RouteGroupBuilder api)
    {
        var policies = api.MapGroup("/machine-policies").WithTags("Machine policies").RequireAuthorization(Policies.View);

        policies.MapGet("/", async (MachinePolicyService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(await service.ListAsync(cancellationToken)))
            .WithSummary($"Every machine policy, the default first, with the number of machines using each. {Durations}");

        policies.MapGet("/{id:int}", async (int id, MachinePolicyService service, CancellationToken cancellationToken) =>
                await service.GetAsync(id, cancellationToken) is { } policy ? Results.Ok(policy) : NotFound(id))
            .Produces<MachinePolicyDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary($"One machine policy with the machines that use it. {Durations}");

        policies.MapPost("/", (MachinePolicyRequest request, MachinePolicyService service,
                    IValidator<MachinePolicyInput> validator, CancellationToken cancellationToken) =>
                SaveAsync(request, validator, input => service.CreateAsync(input, cancellationToken),
                    saved => Results.Created($"/api/machine-policies/{saved.Id}", saved), cancellationToken))
            .RequireAuthorization(Policies.Administer)
            .Produces<MachinePolicyDetails>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary($"Creates a machine policy; omitted settings take their defaults. {Durations}");

        policies.MapPut("/{id:int}", (int id, MachinePolicyRequest request, MachinePolicyService service,
                    IValidator<MachinePolicyInput> validator, CancellationToken cancellationToken) =>
                SaveAsync(request, validator, input => service.UpdateAsync(id, input, request.Version, cancellationToken),
                    Results.Ok, cancellationToken))
            .RequireAuthorization(Policies.Administer)
            .Produces<MachinePolicyDetails>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary($"Replaces a machine policy as a whole; a given version that is no longer current is refused with 409. {Durations}");

        policies.MapDelete("/{id:int}", async (int id, MachinePolicyService service, CancellationToken cancellationToken) =>
            {
                var deleted = await service.DeleteAsync(id, cancellationToken);
                return deleted.Succeeded ? Results.NoContent() : deleted.ToProblem();
            })
            .RequireAuthorization(Policies.Administer)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Deletes a machine policy; refused with 409 for the default policy and for a policy machines use (the message names them)");

        policies.MapPost("/{id:int}/make-default", async (int id, MachinePolicyService service, CancellationToken cancellationToken) =>
            {
                var saved = await service.MakeDefaultAsync(id, cancellationToken);
                return saved.Result.Succeeded ? Results.Ok(saved.Value) : saved.Result.ToProblem();
            })
            .RequireAuthorization(Policies.Administer)
            .Produces<MachinePolicyDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Makes the policy the one new machines get when they name none; the previous default becomes an ordinary policy");

        return api;
    }

    /// <summary>Saves the request; a value that cannot be read is reported beside the validator's messages, all in one 400.</summary>
    private static async Task<IResult> SaveAsync(
        MachinePolicyRequest request,
        IValidator<MachinePolicyInput> validator,
        Func<MachinePolicyInput, Task<SaveResult<MachinePolicyDetails>>> save,
        Func<MachinePolicyDetails, IResult> success,
        CancellationToken cancellationToken)
    {
        var (input, unreadable) = request.ToInput();
        if (unreadable.Count > 0)
        {
            var validation = await validator.ValidateAsync(input, cancellationToken);
            var errors = validation.Errors.Where(e => !unreadable.ContainsKey(e.PropertyName))
                .GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
            foreach (var (field, message) in unreadable)
            {
                errors[field] = [message];
            }
            return new SaveResult(SaveStatus.Invalid, "Please correct the errors.", errors).ToProblem();
        }
        var saved = await save(input);
        return saved.Result.Succeeded ? success(saved.Value!) : saved.Result.ToProblem();
    }

    private static IResult NotFound(int id) => SaveResult.NotFound($"Machine policy {id} does not exist.").ToProblem();
}

/// <summary>
/// The body of <c>POST</c> and <c>PUT /api/machine-policies</c>, the same shape <c>GET</c> returns. Durations are
/// strings <c>"d.hh:mm:ss"</c>, enums their names; an omitted value takes its default. <c>Version</c> (PUT only) is the
/// version the client read.
/// </summary>
public sealed record MachinePolicyRequest(
    string? Name,
    string? Description = null,
    string? HealthCheckInterval = null,
    string? HealthCheckType = null,
    string? HealthCheckScript = null,
    string? ConnectivityBehavior = null,
    string? CleanupBehavior = null,
    string? DeleteUnavailableAfter = null,
    string? AgentVersionCheck = null,
    int? Version = null,
    int? PackageVersionsToKeep = null)
{
    /// <summary>
    /// The input to validate and save, and a message per duration that could not be read. An enum name that is not
    /// known becomes an undefined value, so the validator reports it with the names it accepts.
    /// </summary>
    public (MachinePolicyInput Input, Dictionary<string, string> Unreadable) ToInput()
    {
        var defaults = new MachinePolicyInput();
        var unreadable = new Dictionary<string, string>();
        var input = new MachinePolicyInput
        {
            Name = Name ?? "",
            Description = Description,
            HealthCheckInterval = Duration(HealthCheckInterval, defaults.HealthCheckInterval,
                nameof(MachinePolicyInput.HealthCheckInterval), "The health check interval", unreadable),
            HealthCheckType = Choice(HealthCheckType, defaults.HealthCheckType),
            HealthCheckScript = HealthCheckScript,
            ConnectivityBehavior = Choice(ConnectivityBehavior, defaults.ConnectivityBehavior),
            CleanupBehavior = Choice(CleanupBehavior, defaults.CleanupBehavior),
            DeleteUnavailableAfter = Duration(DeleteUnavailableAfter, defaults.DeleteUnavailableAfter,
                nameof(MachinePolicyInput.DeleteUnavailableAfter), "The time before an unavailable machine is deleted", unreadable),
            AgentVersionCheck = Choice(AgentVersionCheck, defaults.AgentVersionCheck),
            PackageVersionsToKeep = PackageVersionsToKeep ?? defaults.PackageVersionsToKeep,
        };
        return (input, unreadable);
    }

    private static TimeSpan Duration(string? text, TimeSpan fallback, string field, string label, Dictionary<string, string> unreadable)
    {
        if (text is null)
        {
            return fallback;
        }
        if (TimeSpan.TryParseExact(text.Trim(), "c", CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        unreadable[field] = $"{label} must be a duration \"d.hh:mm:ss\", such as \"00:05:00\" or \"1.00:00:00\"; '{text}' is not one.";
        return fallback;
    }

    private static T Choice<T>(string? text, T fallback) where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is not null
            ? Enum.Parse<T>(name)
            : (T)Enum.ToObject(typeof(T), -1);
    }
}
