using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Validation;

namespace AutoDeploy.Domain.Enrolment;

/// <summary>
/// A secret that lets a machine register itself, so that no administrator's key sits in every instance's user-data:
/// bound to the environments, roles and machine policies it allows (the agent picks within them), with an expiry, an
/// optional number of uses, revocable. Only a hash of the secret is kept; the secret is shown once, when created.
/// </summary>
public sealed class EnrolmentToken : Document
{
    /// <summary>Every secret starts so, which tells it from an API key at a glance (and in a leaked log).</summary>
    public const string SecretPrefix = "ENROL-";

    public override string DocumentType => "EnrolmentToken";

    /// <summary>SHA-256 of the secret, lower-case hex.</summary>
    [NotAudited]
    public string SecretHash { get; private set; } = "";

    /// <summary>The secret's first characters, to recognise it in a list.</summary>
    public string Hint { get; private set; } = "";

    public List<DeploymentEnvironment> Environments { get; private set; } = [];
    public List<string> Roles { get; private set; } = [];
    public List<MachinePolicy> Policies { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>How many machines may register with it; null: any number until it expires.</summary>
    public int? MaxUses { get; private set; }

    [NotAudited]
    public int Uses { get; private set; }

    [NotAudited]
    public DateTimeOffset? LastUsedAt { get; private set; }

    /// <summary>The machine that registered with it last.</summary>
    [NotAudited]
    public string? LastUsedBy { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public static EnrolmentToken Create(string name, string secretHash, string hint, IEnumerable<DeploymentEnvironment> environments,
        IEnumerable<string> roles, IEnumerable<MachinePolicy> policies, DateTimeOffset expiresAt, int? maxUses, DateTimeOffset now)
    {
        var token = new EnrolmentToken
        {
            SecretHash = secretHash, Hint = hint, CreatedAt = now, ExpiresAt = expiresAt, MaxUses = maxUses,
            Environments = environments.ToList(), Roles = RoleRules.Normalize(roles),
            Policies = policies.ToList(),
        };
        token.Rename(name);
        token.Raise(new DomainEvent(EventCategories.EnrolmentTokenCreated,
            $"Enrolment token '{token.Name}' was created: {token.Describe()}",
            Details: new
            {
                environments = token.Environments.Select(e => e.Name), roles = token.Roles, policies = token.Policies.Select(p => p.Name),
                expiresAt, maxUses,
            }));
        return token;
    }

    /// <summary>Why the token cannot be used now (revoked, expired, used up: a 401), or null when it can.</summary>
    public string? Refusal(DateTimeOffset now) =>
        RevokedAt is { } revoked ? $"The enrolment token '{Name}' was revoked at {revoked:yyyy-MM-dd HH:mm} UTC."
        : now >= ExpiresAt ? $"The enrolment token '{Name}' expired at {ExpiresAt:yyyy-MM-dd HH:mm} UTC."
        : Uses >= MaxUses ? $"The enrolment token '{Name}' has been used {Uses} time{(Uses == 1 ? "" : "s")}, all it allows."
        : null;

    /// <summary>
    /// Why a registration asking for these environments, roles and policy is outside what the token allows (a 403), or
    /// null when it is within. Environment names compare case-insensitively; roles are lower-case already (RoleRules).
    /// </summary>
    public string? ScopeRefusal(IReadOnlyCollection<string> environments, IReadOnlyCollection<string> roles, MachinePolicy policy)
    {
        var allowed = Environments.Select(e => e.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (environments.FirstOrDefault(e => !allowed.Contains(e)) is { } environment)
        {
            return $"The enrolment token '{Name}' does not allow environment '{environment}'; it allows {List(Environments.Select(e => e.Name))}.";
        }
        if (roles.FirstOrDefault(r => !Roles.Contains(r.Trim())) is { } role)
        {
            return $"The enrolment token '{Name}' does not allow role '{role}'; it allows {List(Roles)}.";
        }
        if (Policies.All(p => p.Id != policy.Id))
        {
            return $"The enrolment token '{Name}' does not allow machine policy '{policy.Name}'; it allows {List(Policies.Select(p => p.Name))}.";
        }
        return null;
    }

    /// <summary>
    /// The policy a registration gets, or why it gets none (a 403). A named policy (case-insensitively) must be one the
    /// token allows. None named: the token's only policy if it allows exactly one, else the server's default policy if
    /// the token allows it; otherwise the registration has to name one.
    /// </summary>
    public (MachinePolicy? Policy, string? Refusal) ChoosePolicy(string? name, MachinePolicy? serverDefault)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            var normalized = Normalize(name);
            return Policies.FirstOrDefault(p => p.NormalizedName == normalized) is { } named
                ? (named, null)
                : (null, $"The enrolment token '{Name}' does not allow machine policy '{name.Trim()}'; it allows {List(Policies.Select(p => p.Name))}.");
        }
        if (Policies.Count == 1)
        {
            return (Policies[0], null);
        }
        if (serverDefault is not null && Policies.Any(p => p.Id == serverDefault.Id))
        {
            return (Policies.First(p => p.Id == serverDefault.Id), null);
        }
        return (null, Policies.Count == 0
            ? $"The enrolment token '{Name}' allows no machine policy (its policies were deleted); create a new token."
            : $"The enrolment token '{Name}' allows several machine policies and not the default one: name one of {List(Policies.Select(p => p.Name))}.");
    }

    /// <summary>A machine registered with it: one use more, and an event that links the two.</summary>
    public void Use(int machineId, string machineName, DateTimeOffset now)
    {
        Uses++;
        LastUsedAt = now;
        LastUsedBy = machineName;
        Raise(new DomainEvent(EventCategories.EnrolmentTokenUsed,
            $"Machine '{machineName}' registered with enrolment token '{Name}' (use {Uses}{(MaxUses is { } max ? $" of {max}" : "")})",
            new EventLinks(MachineId: machineId), Covers: [nameof(Uses), nameof(LastUsedAt), nameof(LastUsedBy)]));
    }

    /// <summary>Revokes the token at once; no machine registers with it again. Revoking twice changes nothing.</summary>
    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return;
        }
        RevokedAt = now;
        Raise(new DomainEvent(EventCategories.EnrolmentTokenRevoked, $"Enrolment token '{Name}' was revoked", Covers: [nameof(RevokedAt)]));
    }

    private string Describe() =>
        $"environments {List(Environments.Select(e => e.Name))}, roles {List(Roles)}, policies {List(Policies.Select(p => p.Name))}, " +
        $"expires {ExpiresAt:yyyy-MM-dd HH:mm} UTC{(MaxUses is { } max ? $", at most {max} use{(max == 1 ? "" : "s")}" : "")}";

    private static string List(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
