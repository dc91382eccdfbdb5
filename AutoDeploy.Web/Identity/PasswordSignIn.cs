using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Identity;

/// <summary>What became of a sign-in: signed in, refused (one message whatever the reason), or too many attempts.</summary>
public sealed record SignInOutcome(bool Succeeded, string? Error = null, TimeSpan? RetryAfter = null);

/// <summary>
/// The sign-in form's flow: the per-address limit, then the per-account limit for browsers the account does not know,
/// then the password (Identity's lockout counts only those strangers' failures), and an audit event for each
/// attempt that reached the password check. An unknown account, a wrong password, a disabled user and a locked account
/// get the same message, and an unknown account costs a password hash like a known one.
/// </summary>
public sealed class PasswordSignIn(SignInManager<AutoDeployUser> signIn, SignInLimits limits, KnownBrowsers knownBrowsers,
    IDbContextFactory<AutoDeployDbContext> factory, ILogger<PasswordSignIn> logger)
{
    public const string Refused = "Wrong email or password, or too many failed attempts on this account: check them, or try again in a few minutes.";

    /// <summary>The longest email kept in an event, as Identity's column.</summary>
    private const int MaxEmailLength = 256;

    private static string? unknownAccountHash;

    public async Task<SignInOutcome> SignInAsync(HttpContext context, string email, string password, bool remember,
        CancellationToken cancellationToken)
    {
        if (limits.AttemptFromAddress(context) is { } addressWait)
        {
            return TooMany(addressWait);
        }
        var user = await signIn.UserManager.FindByNameAsync(email.Trim());
        var known = user is not null && knownBrowsers.IsKnown(context, user.Id);
        if (!known && limits.AttemptOnAccount(email) is { } accountWait)
        {
            return TooMany(accountWait);
        }
        if (user is null)
        {
            VerifyAgainstNobody(password);
            await RecordAsync(context, EventCategories.SignInFailed, email, "unknown account", cancellationToken);
            return new SignInOutcome(false, Refused);
        }
        var result = await signIn.PasswordSignInAsync(user, password, remember, lockoutOnFailure: !known);
        if (result.Succeeded)
        {
            knownBrowsers.Remember(context, user.Id);
            logger.LogInformation("{Email} signed in", user.Email);
            await RecordAsync(context, EventCategories.SignInSucceeded, email, null, cancellationToken);
            return new SignInOutcome(true);
        }
        await RecordAsync(context, result.IsLockedOut ? EventCategories.SignInLockedOut : EventCategories.SignInFailed, email,
            result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "disabled" : "wrong password", cancellationToken);
        return new SignInOutcome(false, Refused);
    }

    /// <summary>The message of the form when an address or an account has used up its attempts.</summary>
    public static string TooManyMessage(TimeSpan wait) =>
        $"Too many sign-in attempts: wait {Seconds(wait)} second(s) and try again.";

    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private static SignInOutcome TooMany(TimeSpan wait) => new(false, TooManyMessage(wait), wait);

    /// <summary>Hashes as for a real account, so the time taken does not tell which emails exist.</summary>
    private void VerifyAgainstNobody(string password)
    {
        var hasher = signIn.UserManager.PasswordHasher;
        var nobody = new AutoDeployUser();
        unknownAccountHash ??= hasher.HashPassword(nobody, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(nobody, unknownAccountHash, password);
    }

    private async Task RecordAsync(HttpContext context, string category, string email, string? reason, CancellationToken cancellationToken)
    {
        var given = TextRules.Clean(email, MaxEmailLength);
        var address = context.Connection.RemoteIpAddress?.ToString();
        var message = category switch
        {
            EventCategories.SignInSucceeded => $"{given} signed in",
            EventCategories.SignInLockedOut => $"Sign-in to '{given}' refused: the account is locked out",
            _ => $"Sign-in to '{given}' failed",
        };
        using (ActorContext.Use(category == EventCategories.SignInSucceeded ? given : "anonymous"))
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            db.Record(new DomainEvent(category, address is null ? message : $"{message} from {address}", Details: new { email = given, address, reason }));
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
