using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// A browser that has signed in to an account before carries a cookie saying so (protected with Data Protection, so it
/// cannot be forged; it holds the user's id and nothing else). Attempts from it skip the per-account limit and the
/// account's lockout, which therefore hold back only strangers: an anonymous attacker can lock an account against new
/// browsers, never against the browsers its owner already uses (the per-address limit still applies to everyone).
/// </summary>
public sealed class KnownBrowsers(IDataProtectionProvider protection)
{
    public const string CookieName = ".AutoDeploy.KnownBrowser";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);
    private readonly IDataProtector protector = protection.CreateProtector("AutoDeploy.KnownBrowser.v1");

    public bool IsKnown(HttpContext? context, string userId)
    {
        if (context?.Request.Cookies[CookieName] is not { Length: > 0 } cookie)
        {
            return false;
        }
        try
        {
            return protector.Unprotect(cookie) == userId;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Remember(HttpContext context, string userId) =>
        context.Response.Cookies.Append(CookieName, protector.Protect(userId), new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = Lifetime,
            Path = "/account",
        });
}
