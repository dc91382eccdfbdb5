using System.Globalization;
using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Api;

/// <summary><c>/api/enrolment-tokens</c>: administrators only, as the tokens let machines join.</summary>
public static class EnrolmentTokensApi
{
    public static RouteGroupBuilder MapEnrolmentTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/enrolment-tokens").WithTags("Enrolment tokens").RequireAuthorization(Policies.Administer);

        tokens.MapGet("/", async (EnrolmentTokenService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(await service.ListAsync(cancellationToken)))
            .WithSummary("Every enrolment token, newest first: its hint (never the secret), scope, expiry, uses, last use and state");

        tokens.MapGet("/{id:int}", async (int id, EnrolmentTokenService service, CancellationToken cancellationToken) =>
                await service.GetAsync(id, cancellationToken) is { } token ? Results.Ok(token) : NotFound(id))
            .Produces<EnrolmentTokenSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One enrolment token");

        tokens.MapPost("/", async (EnrolmentTokenRequest request, EnrolmentTokenService service, CancellationToken cancellationToken) =>
            {
                var (input, unreadable) = request.ToInput();
                if (unreadable is not null)
                {
                    return SaveResult.Invalid(nameof(EnrolmentTokenInput.ValidFor), unreadable).ToProblem();
                }
                var (result, created) = await service.CreateAsync(input, cancellationToken);
                return result.Succeeded ? Results.Created($"/api/enrolment-tokens/{created!.Token.Id}", created) : result.ToProblem();
            })
            .Produces<NewEnrolmentToken>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates an enrolment token; the answer's secret (ENROL-...) is shown this once and stored only as its SHA-256. " +
                         "validFor is a duration \"d.hh:mm:ss\" (default 30 days, at most 365); maxUses empty: any number");

        tokens.MapPost("/{id:int}/revoke", async (int id, EnrolmentTokenService service, CancellationToken cancellationToken) =>
            {
                var (result, token) = await service.RevokeAsync(id, cancellationToken);
                return result.Succeeded ? Results.Ok(token) : result.ToProblem();
            })
            .Produces<EnrolmentTokenSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Revokes a token at once (it stays listed, revoked); revoking it again changes nothing");

        return api;
    }

    private static IResult NotFound(int id) => SaveResult.NotFound($"Enrolment token {id} does not exist.").ToProblem();
}

/// <summary>The body of <c>POST /api/enrolment-tokens</c>. <c>ValidFor</c> is a duration "d.hh:mm:ss"; omitted: 30 days.</summary>
public sealed record EnrolmentTokenRequest(
    string? Name, List<int>? EnvironmentIds, List<string>? Roles, List<int>? PolicyIds, string? ValidFor = null, int? MaxUses = null)
{
    /// <summary>The input to validate and save, and why <see cref="ValidFor"/> could not be read (null when it could).</summary>
    public (EnrolmentTokenInput Input, string? Unreadable) ToInput()
    {
        var input = new EnrolmentTokenInput
        {
            Name = Name ?? "",
            EnvironmentIds = EnvironmentIds ?? [],
            Roles = (Roles ?? []).Select(r => r ?? "").ToList(),
            PolicyIds = PolicyIds ?? [],
            MaxUses = MaxUses,
        };
        if (ValidFor is null)
        {
            return (input, null);
        }
        if (TimeSpan.TryParseExact(ValidFor.Trim(), "c", CultureInfo.InvariantCulture, out var validFor))
        {
            input.ValidFor = validFor;
            return (input, null);
        }
        return (input, $"validFor must be a duration \"d.hh:mm:ss\", such as \"7.00:00:00\" for a week; '{ValidFor}' is not one.");
    }
}
