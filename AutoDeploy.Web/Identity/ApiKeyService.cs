using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Identity;

public sealed record ApiKeySummary(int Id, string Name, string Prefix, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>A key just created: <see cref="Secret"/> is the only time the whole key is ever shown.</summary>
public sealed record NewApiKey(ApiKeySummary Key, string Secret);

/// <summary>A user's own API keys: create (stored hashed), list, revoke.</summary>
public sealed class ApiKeyService(IDbContextFactory<AutoDeployDbContext> factory, TimeProvider time)
{
    public const int NameMaxLength = 200;

    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.Where(k => k.UserId == userId)
            .OrderByDescending(k => k.Id)
            .Select(k => new ApiKeySummary(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<SaveResult<NewApiKey>> CreateAsync(string userId, string? name, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        if (name.Length == 0)
        {
            return SaveResult.Invalid("Name", "Name the key after what uses it, e.g. \"CI pipeline\".");
        }
        if (name.Length > NameMaxLength)
        {
            return SaveResult.Invalid("Name", $"The name can be at most {NameMaxLength} characters long.");
        }
        if (name.Any(char.IsControl))
        {
            return SaveResult.Invalid("Name", "The name cannot contain control characters.");
        }
        var secret = ApiKey.Generate();
        var key = ApiKey.Create(userId, name, secret, time.GetUtcNow());
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(key);
        db.Record(new DomainEvent(EventCategories.ApiKeyCreated, $"API key '{name}' ({key.Prefix}…) created for {await EmailAsync(db, userId, cancellationToken)}",
            Details: new { userId, name, prefix = key.Prefix }));
        await db.SaveChangesAsync(cancellationToken);
        return new SaveResult<NewApiKey>(SaveResult.Saved, new NewApiKey(Summarize(key), secret));
    }

    /// <summary>Revokes one of the user's keys; the next request with it gets 401.</summary>
    public async Task<SaveResult> RevokeAsync(string userId, int keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.UserId == userId, cancellationToken);
        if (key is null)
        {
            return SaveResult.NotFound("That API key does not exist (any more).");
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            db.Record(new DomainEvent(EventCategories.ApiKeyRevoked,
                $"API key '{key.Name}' ({key.Prefix}…) of {await EmailAsync(db, userId, cancellationToken)} revoked",
                Details: new { userId, keyId = key.Id, name = key.Name, prefix = key.Prefix }));
            await db.SaveChangesAsync(cancellationToken);
        }
        return SaveResult.Saved;
    }

    private static async Task<string> EmailAsync(AutoDeployDbContext db, string userId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken) ?? userId;

    private static ApiKeySummary Summarize(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
