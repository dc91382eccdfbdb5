using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Validation;

namespace AutoDeploy.Domain.Machines;

/// <summary>A deployment target: one host running the AutoDeploy agent.</summary>
public sealed class Machine : Document
{
    public override string DocumentType => "Machine";

    /// <summary>The longest agent version kept (a registration or a poll with a longer one is refused).</summary>
    public const int MaxAgentVersionLength = 50;

    public List<DeploymentEnvironment> Environments { get; private set; } = [];
    public List<string> Roles { get; private set; } = [];
    public int MachinePolicyId { get; private set; }
    public MachinePolicy? MachinePolicy { get; private set; }
    public bool IsEnabled { get; private set; } = true;
    [NotAudited]
    public MachineHealthStatus HealthStatus { get; private set; } = MachineHealthStatus.Unknown;
    [NotAudited]
    public string? HealthSummary { get; private set; }
    [NotAudited]
    public DateTimeOffset? HealthChangedAt { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    [NotAudited]
    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>When the scheduled health check is due; the worker reads machines by this, not by rescanning all.</summary>
    [NotAudited]
    public DateTimeOffset? NextHealthCheckAt { get; set; }
    [NotAudited]
    public string? AgentVersion { get; set; }

    /// <summary>SHA-256 of the agent's token; the token itself is never stored.</summary>
    public string? AgentTokenHash { get; set; }

    /// <summary>The audit tells whether the agent has a token, never its hash.</summary>
    public override object? AuditValue(string property, object? value) =>
        property == nameof(AgentTokenHash) ? (value is null ? null : "(set)") : value;

    public static Machine Register(
        string name, IEnumerable<DeploymentEnvironment> environments, IEnumerable<string> roles,
        MachinePolicy policy, DateTimeOffset now)
    {
        var machine = new Machine { RegisteredAt = now };
        machine.Rename(name);
        machine.Environments = environments.ToList();
        machine.Roles = NormalizeRoles(roles);
        machine.MachinePolicyId = policy.Id;
        machine.MachinePolicy = policy;
        machine.Raise(new DomainEvent(EventCategories.MachineAdded,
            $"Machine '{machine.Name}' was added to {Describe(machine.Environments)} with roles {DescribeRoles(machine.Roles)}",
            new EventLinks(PolicyId: policy.Id),
            new { environments = machine.Environments.Select(e => e.Name), roles = machine.Roles, policy = policy.Name }));
        return machine;
    }

    /// <summary>The version the agent reported; a change from a known version is an update, and an event.</summary>
    public void ReportAgentVersion(string? version)
    {
        if (version == AgentVersion)
        {
            return;
        }
        var previous = AgentVersion;
        AgentVersion = version;
        if (previous is not null && version is not null)
        {
            Raise(new DomainEvent(EventCategories.AgentUpdated, $"The agent on '{Name}' is now version {version} (was {previous})",
                Covers: [nameof(AgentVersion)]));
        }
    }

    /// <summary>The agent could not update itself to <paramref name="version"/> and runs on: an event with its reason.</summary>
    public void ReportAgentUpdateFailed(string version, string reason) =>
        Raise(new DomainEvent(EventCategories.AgentUpdateFailed,
            $"The agent on '{Name}' could not update itself to version {version}: {reason}", Details: new { version, reason }));

    public void Enable()
    {
        if (IsEnabled)
        {
            return;
        }
        IsEnabled = true;
        Raise(new DomainEvent(EventCategories.MachineEnabled, $"Machine '{Name}' was enabled", Covers: [nameof(IsEnabled)]));
    }

    public void Disable()
    {
        if (!IsEnabled)
        {
            return;
        }
        IsEnabled = false;
        Raise(new DomainEvent(EventCategories.MachineDisabled, $"Machine '{Name}' was disabled", Covers: [nameof(IsEnabled)]));
    }

    /// <summary>Changes what decides where the machine is deployed to; raises one event if anything changed.</summary>
    public void ChangeDeploymentProperties(
        IReadOnlyCollection<DeploymentEnvironment> environments, IEnumerable<string> roles, MachinePolicy policy)
    {
        var newRoles = NormalizeRoles(roles);
        var changes = new List<string>();
        if (!environments.Select(e => e.Id).Order().SequenceEqual(Environments.Select(e => e.Id).Order()))
        {
            changes.Add($"environments {Describe(Environments)} → {Describe(environments)}");
            Environments.Clear();
            Environments.AddRange(environments);
        }
        if (!newRoles.SequenceEqual(Roles))
        {
            changes.Add($"roles {DescribeRoles(Roles)} → {DescribeRoles(newRoles)}");
            Roles = newRoles;
        }
        if (policy.Id != MachinePolicyId)
        {
            changes.Add($"policy '{MachinePolicy?.Name}' → '{policy.Name}'");
            MachinePolicyId = policy.Id;
            MachinePolicy = policy;
        }
        if (changes.Count > 0)
        {
            Raise(new DomainEvent(EventCategories.MachineDeploymentRelatedPropertyWasUpdated,
                $"Machine '{Name}' changed: {string.Join("; ", changes)}", new EventLinks(PolicyId: policy.Id),
                Covers: [nameof(Roles), nameof(MachinePolicyId)]));
        }
    }

    /// <summary>Records the outcome of a health check; raises the matching event only when the status changes.</summary>
    public void RecordHealth(MachineHealthStatus status, string? summary, DateTimeOffset now)
    {
        HealthSummary = summary;
        if (status == HealthStatus)
        {
            return;
        }
        HealthStatus = status;
        HealthChangedAt = now;
        var category = status switch
        {
            MachineHealthStatus.Healthy => EventCategories.MachineHealthy,
            MachineHealthStatus.HasWarnings => EventCategories.MachineHasWarnings,
            MachineHealthStatus.Unhealthy => EventCategories.MachineUnhealthy,
            MachineHealthStatus.Unavailable => EventCategories.MachineUnavailable,
            _ => null,
        };
        if (category is not null)
        {
            Raise(new DomainEvent(category, $"Machine '{Name}' is {status}{(summary is null ? "" : $": {summary}")}", Covers: []));
        }
    }

    /// <summary>Records that the policy's clean-up could not delete the machine.</summary>
    public void CleanupFailed(string reason) =>
        Raise(new DomainEvent(EventCategories.MachineCleanupFailed, $"Machine '{Name}' could not be cleaned up: {reason}",
            new EventLinks(PolicyId: MachinePolicyId), Covers: []));

    /// <summary>
    /// Raises MachineDeleted with what the machine was (its environments must be loaded): a leave hook still knows the
    /// machine's name, roles and environments once its row is gone. The caller then removes the machine in the same save.
    /// </summary>
    public void Delete(string reason) =>
        Raise(new DomainEvent(EventCategories.MachineDeleted, $"Machine '{Name}' was deleted: {reason}",
            new EventLinks(PolicyId: MachinePolicyId), new MachineSnapshot(Name, [.. Roles], [.. Environments.Select(e => e.Id)])));

    public static List<string> NormalizeRoles(IEnumerable<string> roles) => RoleRules.Normalize(roles);

    private static string Describe(IEnumerable<DeploymentEnvironment> environments)
    {
        var names = environments.Select(e => $"'{e.Name}'").ToList();
        return names.Count == 0 ? "no environment" : string.Join(", ", names);
    }

    private static string DescribeRoles(IEnumerable<string> roles)
    {
        var list = roles.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
