using System.Security.Claims;
using System.Text.Encodings.Web;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Agents;

/// <summary>Authenticates an agent by its bearer token as its machine; a token opens only that machine's work.</summary>
public sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<AutoDeployDbContext> factory,
    AgentWorkGate gate)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Agent";
    public const string PolicyName = "Agent";
    public const string MachineIdClaim = "machine_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var hash = AgentToken.HashOf(header["Bearer ".Length..].Trim());
        using var slot = await gate.EnterAsync(Context.RequestAborted);
        await using var db = await factory.CreateDbContextAsync(Context.RequestAborted);
        var machine = await db.Machines.AsNoTracking()
            .Where(m => m.AgentTokenHash == hash)
            .Select(m => new { m.Id, m.Name })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (machine is null)
        {
            return AuthenticateResult.Fail("The agent token is unknown: the machine was deregistered or its token revoked.");
        }
        var identity = new ClaimsIdentity(
            [new Claim(MachineIdClaim, machine.Id.ToString()), new Claim(ClaimTypes.Name, $"agent:{machine.Name}")], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The API's status-code pages write the problem (ApiProblems).
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        Context.Items[ApiRefusal.ReasonItem] = "The server refused this agent's token: the machine was deregistered or its token revoked.";
        return Task.CompletedTask;
    }
}

public static class AgentClaims
{
    public static int MachineId(this ClaimsPrincipal user) =>
        int.Parse(user.FindFirst(AgentAuthenticationHandler.MachineIdClaim)!.Value);
}
