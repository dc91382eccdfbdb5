using System.Security.Cryptography;
using System.Text;
using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Web.Data;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>Whether a token lets a machine register now, and if not why.</summary>
public enum EnrolmentTokenState { Active, Expired, UsedUp, Revoked }

/// <summary>An enrolment token as the list and the REST API show it; never its secret.</summary>
public sealed record EnrolmentTokenSummary(
    int Id,
    string Name,
    string Hint,
    IReadOnlyList<NamedRef> Environments,
    IReadOnlyList<string> Roles,
    IReadOnlyList<NamedRef> Policies,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int? MaxUses,
    int Uses,
    DateTimeOffset? LastUsedAt,
    string? LastUsedBy,
    DateTimeOffset? RevokedAt,
    EnrolmentTokenState State);

/// <summary>A token just created: <see cref="Secret"/> is the only time the secret is ever shown.</summary>
public sealed record NewEnrolmentToken(EnrolmentTokenSummary Token, string Secret);

/// <summary>Enrolment tokens for their page and the REST API: create (the secret stored hashed), list, revoke.</summary>
public sealed class EnrolmentTokenService(
    IDbContextFactory<AutoDeployDbContext> factory, IValidator<EnrolmentTokenInput> validator, TimeProvider time)
{
    private static readonly DocumentSaves<EnrolmentToken> Saves =
        new("enrolment token", name => $"An enrolment token named '{name}' already exists.");

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>How much of the secret the list shows: the prefix and four characters of its 32.</summary>
    private const int HintLength = 10;

    /// <summary>A revoke that finds the token just used (saved since it was read) reads it again, this often at most.</summary>
    private const int MaxRevokeAttempts = 5;

    /// <summary>A new secret: "ENROL-" and 32 base-32 characters (160 bits).</summary>
    public static string GenerateSecret() =>
        EnrolmentToken.SecretPrefix + string.Concat(RandomNumberGenerator.GetBytes(32).Select(b => Alphabet[b % Alphabet.Length]));

    /// <summary>Secrets are long and random, so one SHA-256 is enough (as for API keys).</summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public async Task<IReadOnlyList<EnrolmentTokenSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var tokens = await Query(db).OrderByDescending(t => t.Id).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return tokens.Select(t => Summarize(t, now)).ToList();
    }

    public async Task<EnrolmentTokenSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var token = await Query(db).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return token is null ? null : Summarize(token, time.GetUtcNow());
    }

    /// <summary>The policy the create form starts with: the server's default, which a machine naming none gets.</summary>
    public async Task<int?> DefaultPolicyIdAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MachinePolicies.Where(p => p.IsDefault).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Creates a token valid from now for <see cref="EnrolmentTokenInput.ValidFor"/>; the answer holds its secret, once.</summary>
    public async Task<SaveResult<NewEnrolmentToken>> CreateAsync(EnrolmentTokenInput input, CancellationToken cancellationToken = default)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var environmentIds = input.EnvironmentIds.Distinct().ToList();
        var policyIds = input.PolicyIds.Distinct().ToList();
        var environments = await db.Environments.Where(e => environmentIds.Contains(e.Id)).OrderBy(e => e.SortOrder).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var policies = await db.MachinePolicies.Where(p => policyIds.Contains(p.Id)).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var unknown = new Dictionary<string, string[]>();
        if (environmentIds.Except(environments.Select(e => e.Id)).ToList() is { Count: > 0 } missingEnvironments)
        {
            unknown[nameof(EnrolmentTokenInput.EnvironmentIds)] = [$"Unknown environments: {string.Join(", ", missingEnvironments)}."];
        }
        if (policyIds.Except(policies.Select(p => p.Id)).ToList() is { Count: > 0 } missingPolicies)
        {
            unknown[nameof(EnrolmentTokenInput.PolicyIds)] = [$"Unknown machine policies: {string.Join(", ", missingPolicies)}."];
        }
        if (unknown.Count > 0)
        {
            return new SaveResult(SaveStatus.Invalid, "Please correct the errors.", unknown);
        }
        if (await Saves.TakenAsync(db.EnrolmentTokens, input.Name, null, cancellationToken))
        {
            return Saves.Conflict(input.Name);
        }

        var secret = GenerateSecret();
        var now = time.GetUtcNow();
        var token = EnrolmentToken.Create(input.Name, HashOf(secret), secret[..HintLength], environments, input.Roles, policies,
            now + input.ValidFor, input.MaxUses, now);
        db.EnrolmentTokens.Add(token);
        var saved = await Saves.SaveAsync(db, db.EnrolmentTokens, input.Name, null, cancellationToken);
        return saved.Succeeded ? new SaveResult<NewEnrolmentToken>(saved, new NewEnrolmentToken(Summarize(token, now), secret)) : saved;
    }

    /// <summary>
    /// Revokes a token at once: the next registration with it is refused. Revoking a revoked token changes nothing. A
    /// machine registering with it meanwhile (a use saves the token too) is no reason to refuse: the revoke is tried again.
    /// </summary>
    /// <summary>
    /// The database lock a registration with token <paramref name="id"/> and its revoke take first (on PostgreSQL;
    /// SQLite has one writer anyway), so they take turns: a revoke that updated the token before a registration's
    /// events, and a registration that wrote its events before the token, deadlocked under load.
    /// </summary>
    public static long LockKey(int id) => 0x4164_456e_726f_0000 + id;

    public async Task<SaveResult<EnrolmentTokenSummary>> RevokeAsync(int id, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.LockForTransactionAsync(LockKey(id), cancellationToken);
            var token = await Query(db, tracked: true).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
            if (token is null)
            {
                return SaveResult.NotFound($"Enrolment token {id} does not exist.");
            }
            var now = time.GetUtcNow();
            token.Revoke(now);
            var saved = await Saves.SaveAsync(db, cancellationToken);
            if (saved.Succeeded)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            if (saved.Status != SaveStatus.Stale || attempt == MaxRevokeAttempts)
            {
                return saved.Succeeded ? new SaveResult<EnrolmentTokenSummary>(saved, Summarize(token, now)) : saved;
            }
        }
    }


    private static IQueryable<EnrolmentToken> Query(AutoDeployDbContext db, bool tracked = false)
    {
        var tokens = db.EnrolmentTokens.Include(t => t.Environments).Include(t => t.Policies).AsSplitQuery();
        return tracked ? tokens : tokens.AsNoTracking();
    }

    private static EnrolmentTokenSummary Summarize(EnrolmentToken token, DateTimeOffset now) => new(
        token.Id, token.Name, token.Hint,
        token.Environments.OrderBy(e => e.SortOrder).ThenBy(e => e.Id).Select(e => new NamedRef(e.Id, e.Name)).ToList(),
        token.Roles,
        token.Policies.OrderBy(p => p.Name).Select(p => new NamedRef(p.Id, p.Name)).ToList(),
        token.CreatedAt, token.ExpiresAt, token.MaxUses, token.Uses, token.LastUsedAt, token.LastUsedBy, token.RevokedAt,
        StateOf(token, now));

    private static EnrolmentTokenState StateOf(EnrolmentToken token, DateTimeOffset now) =>
        token.RevokedAt is not null ? EnrolmentTokenState.Revoked
        : now >= token.ExpiresAt ? EnrolmentTokenState.Expired
        : token.Uses >= token.MaxUses ? EnrolmentTokenState.UsedUp
        : EnrolmentTokenState.Active;
}
