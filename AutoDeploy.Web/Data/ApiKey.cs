using System.Security.Cryptography;
using System.Text;

namespace AutoDeploy.Web.Data;

/// <summary>A user's API key: shown once, stored as a SHA-256 hash, acting with the user's role.</summary>
public sealed class ApiKey
{
    public const string HeaderName = "X-Api-Key";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters of the key, enough to recognise it in a list.</summary>
    public required string Prefix { get; set; }

    public required string KeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsRevoked => RevokedAt is not null;

    public static ApiKey Create(string userId, string name, string key, DateTimeOffset now) => new()
    {
        UserId = userId,
        Name = name,
        Prefix = key[..Math.Min(8, key.Length)],
        KeyHash = HashOf(key),
        CreatedAt = now,
    };

    /// <summary>A new random key: "API-" and 32 base-32 characters (160 bits).</summary>
    public static string Generate() =>
        "API-" + string.Concat(RandomNumberGenerator.GetBytes(32).Select(b => Alphabet[b % Alphabet.Length]));

    /// <summary>Keys are long and random, so one SHA-256 is enough (unlike passwords).</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
