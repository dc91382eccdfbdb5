using AutoDeploy.Domain.Policies;

namespace AutoDeploy.Web.Services;

/// <summary>A row of the machine policy list, with the number of machines that use the policy.</summary>
public sealed record MachinePolicySummary(
    int Id,
    string Name,
    string? Description,
    bool IsDefault,
    TimeSpan HealthCheckInterval,
    HealthCheckType HealthCheckType,
    ConnectivityBehavior ConnectivityBehavior,
    CleanupBehavior CleanupBehavior,
    TimeSpan DeleteUnavailableAfter,
    AgentVersionCheck AgentVersionCheck,
    int MachineCount);

/// <summary>A machine policy as the editor and the API see it, with the machines that use it.</summary>
public sealed record MachinePolicyDetails(
    int Id,
    string Name,
    string? Description,
    bool IsDefault,
    int Version,
    TimeSpan HealthCheckInterval,
    HealthCheckType HealthCheckType,
    string? HealthCheckScript,
    ConnectivityBehavior ConnectivityBehavior,
    CleanupBehavior CleanupBehavior,
    TimeSpan DeleteUnavailableAfter,
    AgentVersionCheck AgentVersionCheck,
    IReadOnlyList<PolicyMachine> Machines)
{
    /// <summary>How many extracted versions of each package the machines keep.</summary>
    public int PackageVersionsToKeep { get; init; } = MachinePolicy.DefaultPackageVersionsToKeep;

    public static MachinePolicyDetails From(MachinePolicy policy, IReadOnlyList<PolicyMachine> machines) => new(
        policy.Id, policy.Name, policy.Description, policy.IsDefault, policy.Version,
        policy.HealthCheckInterval, policy.HealthCheckType, policy.HealthCheckScript, policy.ConnectivityBehavior,
        policy.CleanupBehavior, policy.DeleteUnavailableAfter, policy.AgentVersionCheck, machines)
    {
        PackageVersionsToKeep = policy.PackageVersionsToKeep,
    };

    /// <summary>An editable copy: changing it never changes this object.</summary>
    public MachinePolicyInput ToInput() => new()
    {
        Name = Name,
        Description = Description,
        HealthCheckInterval = HealthCheckInterval,
        HealthCheckType = HealthCheckType,
        HealthCheckScript = HealthCheckScript,
        ConnectivityBehavior = ConnectivityBehavior,
        CleanupBehavior = CleanupBehavior,
        DeleteUnavailableAfter = DeleteUnavailableAfter,
        AgentVersionCheck = AgentVersionCheck,
        PackageVersionsToKeep = PackageVersionsToKeep,
    };
}

/// <summary>A machine that uses a policy.</summary>
public sealed record PolicyMachine(int Id, string Name);
