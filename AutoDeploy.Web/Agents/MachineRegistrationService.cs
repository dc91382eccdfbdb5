using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Agents;

/// <summary>An agent registers its machine: environments and policy by name, a fresh token that is stored hashed.</summary>
public sealed class MachineRegistrationService(
    IDbContextFactory<AutoDeployDbContext> factory, IValidator<RegistrationRequest> registrationValidator, TimeProvider time)
{
    private const int MaxAgentVersionLength = 50;

    /// <summary>What a registration with a secret that is no enrolment token's is told (401).</summary>
    public const string NotAToken = "That is not a valid enrolment token.";

    /// <summary>Arbitrary, fixed base of the per-token locks (plus the token's id) that make its registrations take turns.</summary>

    /// <summary>A registration that finds the token changed under it (revoked meanwhile) reads it again, this often at most.</summary>
    private const int MaxAttempts = 3;

    /// <summary>An agent's registration: environments and policy by name, the default policy when none is named.</summary>
    public async Task<SaveResult<RegistrationResponse>> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken = default)
    {
        if (await ValidateAsync(request, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var names = request.Environments.Select(n => n.Trim()).DistinctBy(Document.Normalize).ToList();
        var normalized = names.Select(Document.Normalize).ToList();
        var environments = await db.Environments.Where(e => normalized.Contains(e.NormalizedName)).ToListAsync(cancellationToken);
        var policyName = string.IsNullOrWhiteSpace(request.Policy) ? null : Document.Normalize(request.Policy);
        var policy = await db.MachinePolicies
            .FirstOrDefaultAsync(p => policyName == null ? p.IsDefault : p.NormalizedName == policyName, cancellationToken);
        var unknown = new List<ValidationFailure>();
        var missing = names.Where(n => environments.All(e => e.NormalizedName != Document.Normalize(n))).ToList();
        if (missing.Count > 0)
        {
            unknown.Add(new(nameof(RegistrationRequest.Environments),
                $"Unknown environments: {string.Join(", ", missing.Select(n => $"'{n}'"))}."));
        }
        if (policy is null)
        {
            unknown.Add(new(nameof(RegistrationRequest.Policy), string.IsNullOrWhiteSpace(request.Policy)
                ? "There is no default machine policy; name one."
                : $"Unknown machine policy: '{request.Policy.Trim()}'."));
        }
        if (unknown.Count > 0)
        {
            return SaveResult.Invalid(new ValidationResult(unknown));
        }
        if (await MachineSaves.Names.TakenAsync(db.Machines, request.Name, null, cancellationToken))
        {
            return MachineSaves.Names.Conflict(request.Name);
        }

        var (machine, token) = NewMachine(request, environments, policy!, time.GetUtcNow());
        db.Machines.Add(machine);
        var saved = await MachineSaves.SaveAsync(db, request.Name, null, cancellationToken);
        return saved.Succeeded ? new SaveResult<RegistrationResponse>(saved, new(machine.Id, token)) : saved;
    }

    /// <summary>
    /// A registration with an enrolment token instead of an administrator's key. Unauthorized (401) with the reason when
    /// the secret is no token's or the token is expired, used up or revoked; Forbidden (403) with the reason when the
    /// environments, roles or policy are outside what the token allows. The machine and the token's use are saved in one
    /// transaction, and registrations with one token take turns (a database lock), so a token's last use goes to one
    /// machine only, on any number of nodes.
    /// </summary>
    public async Task<SaveResult<RegistrationResponse>> RegisterWithTokenAsync(
        string secret, RegistrationRequest request, CancellationToken cancellationToken = default)
    {
        int tokenId;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var hash = EnrolmentTokenService.HashOf(secret.Trim());
            var found = await db.EnrolmentTokens.AsNoTracking().SingleOrDefaultAsync(t => t.SecretHash == hash, cancellationToken);
            if (found is null)
            {
                return SaveResult.Unauthorized(NotAToken);
            }
            if (found.Refusal(time.GetUtcNow()) is { } refusal)
            {
                return SaveResult.Unauthorized(refusal);
            }
            tokenId = found.Id;
        }
        if (await ValidateAsync(request, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RegisterWithTokenOnceAsync(tokenId, request, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // The token was revoked (or used without the lock) since it was read: read it again.
            }
        }
    }

    private async Task<SaveResult<RegistrationResponse>> RegisterWithTokenOnceAsync(
        int tokenId, RegistrationRequest request, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockForTransactionAsync(EnrolmentTokenService.LockKey(tokenId), cancellationToken);
        var token = await db.EnrolmentTokens.Include(t => t.Environments).Include(t => t.Policies).AsSplitQuery()
            .SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        var now = time.GetUtcNow();
        if (token is null)
        {
            return SaveResult.Unauthorized(NotAToken);
        }
        if (token.Refusal(now) is { } refusal)
        {
            return SaveResult.Unauthorized(refusal);
        }
        var serverDefault = string.IsNullOrWhiteSpace(request.Policy) && token.Policies.Count > 1
            ? await db.MachinePolicies.FirstOrDefaultAsync(p => p.IsDefault, cancellationToken)
            : null;
        var (policy, policyRefusal) = token.ChoosePolicy(request.Policy, serverDefault);
        if (policyRefusal is not null)
        {
            return SaveResult.Forbidden(policyRefusal);
        }
        var names = request.Environments.Select(n => n.Trim()).DistinctBy(Document.Normalize).ToList();
        if (token.ScopeRefusal(names, request.Roles, policy!) is { } scopeRefusal)
        {
            return SaveResult.Forbidden(scopeRefusal);
        }
        if (await MachineSaves.Names.TakenAsync(db.Machines, request.Name, null, cancellationToken))
        {
            return MachineSaves.Names.Conflict(request.Name);
        }

        // The events of this registration name the token as their actor: no user acted.
        using var actor = ActorContext.Use($"enrolment token '{token.Name}'");
        var normalized = names.Select(Document.Normalize).ToHashSet();
        var (machine, agentToken) = NewMachine(request, token.Environments.Where(e => normalized.Contains(e.NormalizedName)), policy!, now);
        db.Machines.Add(machine);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            // Another registration took the name since the check. PostgreSQL has given up the transaction: look outside it.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await MachineSaves.Names.TakenAsync(db.Machines, request.Name, null, cancellationToken)
                ? MachineSaves.Names.Conflict(request.Name)
                : throw new InvalidOperationException($"Could not register machine '{request.Name}'.", e);
        }
        token.Use(machine.Id, machine.Name, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult<RegistrationResponse>(SaveResult.Saved, new(machine.Id, agentToken));
    }

    /// <summary>The request checked on its own, or why it is refused (400 with every message).</summary>
    private async Task<SaveResult?> ValidateAsync(RegistrationRequest request, CancellationToken cancellationToken)
    {
        // JSON may send nulls where the model has lists; treat them as empty rather than fail.
        request.Environments = (request.Environments ?? []).Select(n => n ?? "").ToList();
        request.Roles = (request.Roles ?? []).Select(r => r ?? "").ToList();
        var validation = await registrationValidator.ValidateAsync(request, cancellationToken);
        if (request.AgentVersion?.Trim().Length > MaxAgentVersionLength)
        {
            validation.Errors.Add(new(nameof(RegistrationRequest.AgentVersion),
                $"Agent version must be at most {MaxAgentVersionLength} characters."));
        }
        return validation.IsValid ? null : SaveResult.Invalid(validation);
    }

    private static (Machine Machine, string Token) NewMachine(
        RegistrationRequest request, IEnumerable<DeploymentEnvironment> environments, MachinePolicy policy, DateTimeOffset now)
    {
        var token = AgentToken.Generate();
        var machine = Machine.Register(request.Name, environments, request.Roles, policy, now);
        machine.AgentVersion = string.IsNullOrWhiteSpace(request.AgentVersion) ? null : request.AgentVersion.Trim();
        machine.AgentTokenHash = AgentToken.HashOf(token);
        return (machine, token);
    }
}
