namespace AutoDeploy.Web.Identity;

/// <summary>A user's API key: shown once, stored as a SHA-256 hash, acting with the user's role.</summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters of the key, enough to recognise it in a list.</summary>
    public required string Prefix { get; set; }

    public required string KeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
