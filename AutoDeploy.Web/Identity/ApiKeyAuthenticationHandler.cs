using System.Security.Claims;
using System.Text.Encodings.Web;
using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Identity;

/// <summary>Authenticates <c>X-Api-Key</c> requests as the key's user, with the user's roles.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<AutoDeployDbContext> factory,
    UserManager<AutoDeployUser> users,
    IUserClaimsPrincipalFactory<AutoDeployUser> principals,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The claim with the id of the key a request came with, so revoking it can close that key's hub connections.</summary>
    public const string KeyIdClaim = "autodeploy:api-key-id";

    /// <summary>Last-used times are written at most this often per key, not on every request.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKey.HeaderName, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
        {
            return AuthenticateResult.NoResult();
        }
        var hash = ApiKey.HashOf(values.ToString().Trim());
        await using var db = await factory.CreateDbContextAsync(Context.RequestAborted);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.KeyHash == hash, Context.RequestAborted);
        if (key is null || key.IsRevoked)
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }
        var user = await users.FindByIdAsync(key.UserId);
        if (user is null)
        {
            return AuthenticateResult.Fail("The API key's user no longer exists.");
        }
        if (user.DisabledAt is not null)
        {
            return AuthenticateResult.Fail("The API key's user is disabled; an administrator can enable them again.");
        }
        var now = time.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt >= LastUsedResolution)
        {
            key.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }
        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(KeyIdClaim, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        ApiRefusal.Send(Context, StatusCodes.Status401Unauthorized, result.Failure?.Message);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        ApiRefusal.Send(Context, StatusCodes.Status403Forbidden);
        return Task.CompletedTask;
    }
}
