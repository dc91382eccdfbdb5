using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace AutoDeploy.Web.Subscriptions;

/// <summary>
/// Subscription secrets: generated here, shown once, stored encrypted with the server's Data Protection keys (kept in the
/// database, so every node can sign), decrypted only to sign a delivery.
/// </summary>
public sealed class SubscriptionSecrets(IDataProtectionProvider provider)
{
    public const string Prefix = "whsec_";

    /// <summary>How much of the secret a list shows: the prefix and four characters.</summary>
    public const int HintLength = 10;

    private readonly IDataProtector _protector = provider.CreateProtector("AutoDeploy.Subscriptions.Secret.v1");

    /// <summary>A new secret: "whsec_" and 64 hex characters (256 bits).</summary>
    public static string Generate() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
