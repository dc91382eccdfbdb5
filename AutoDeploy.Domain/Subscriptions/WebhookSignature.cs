using System.Security.Cryptography;
using System.Text;

namespace AutoDeploy.Domain.Subscriptions;

/// <summary>
/// The <c>X-AutoDeploy-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c> over
/// <c>"&lt;t&gt;.&lt;body&gt;"</c>, keyed with the subscription's secret (its UTF-8 bytes). The timestamp lets a receiver
/// refuse a replayed delivery.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-AutoDeploy-Signature";

    public static string Sign(string secret, DateTimeOffset timestamp, byte[] body)
    {
        var t = timestamp.ToUnixTimeSeconds();
        return $"t={t},v1={Hmac(secret, t, body)}";
    }

    /// <summary>The hex HMAC-SHA256 of <c>"t.body"</c>.</summary>
    public static string Hmac(string secret, long unixSeconds, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{unixSeconds}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Whether a header is a valid signature of the body with the secret (as a receiver checks it).</summary>
    public static bool Verify(string secret, string header, byte[] body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, out var seconds) || !parts.TryGetValue("v1", out var v1))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hmac(secret, seconds, body)), Encoding.ASCII.GetBytes(v1));
    }
}
