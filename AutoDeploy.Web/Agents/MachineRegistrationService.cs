using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
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

    /// <summary>An agent's registration: environments and policy by name, the default policy when none is named.</summary>
    public async Task<SaveResult<RegistrationResponse>> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken = default)
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
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
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

        var token = AgentToken.Generate();
        var machine = Machine.Register(request.Name, environments, request.Roles, policy!, time.GetUtcNow());
        machine.AgentVersion = string.IsNullOrWhiteSpace(request.AgentVersion) ? null : request.AgentVersion.Trim();
        machine.AgentTokenHash = AgentToken.HashOf(token);
        db.Machines.Add(machine);
        var saved = await MachineSaves.SaveAsync(db, request.Name, null, cancellationToken);
        return saved.Succeeded ? new SaveResult<RegistrationResponse>(saved, new(machine.Id, token)) : saved;
    }
}
