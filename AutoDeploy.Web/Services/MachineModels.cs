using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Web.Services;

/// <summary>A page of the machine list: search by name, filters, and server-side paging.</summary>
public sealed record MachineQuery(
    string? Search = null,
    int? EnvironmentId = null,
    string? Role = null,
    MachineHealthStatus? Health = null,
    bool? IsEnabled = null,
    int Skip = 0,
    int Take = MachineQuery.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;
}

/// <summary>One page of machines and how many match in all.</summary>
public sealed record MachineList(IReadOnlyList<MachineSummary> Items, int Total);

public sealed record MachineSummary(
    int Id, string Name, IReadOnlyList<NamedRef> Environments, IReadOnlyList<string> Roles,
    MachineHealthStatus HealthStatus, bool IsEnabled);

public sealed record NamedRef(int Id, string Name);

public sealed record MachineDetails(
    int Id,
    string Name,
    int Version,
    IReadOnlyList<NamedRef> Environments,
    IReadOnlyList<string> Roles,
    NamedRef Policy,
    bool IsEnabled,
    MachineHealthStatus HealthStatus,
    string? HealthSummary,
    DateTimeOffset? HealthChangedAt,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? LastSeenAt,
    string? AgentVersion,
    IReadOnlyList<MachineEvent> RecentEvents,
    string? AgentUpdate = null)
{
    /// <summary>What the edit form starts from.</summary>
    public MachineInput ToInput() => new()
    {
        Name = Name,
        EnvironmentIds = Environments.Select(e => e.Id).ToList(),
        Roles = Roles.ToList(),
        MachinePolicyId = Policy.Id,
        IsEnabled = IsEnabled,
    };
}

public sealed record MachineEvent(long Id, DateTimeOffset OccurredAt, string Category, string Message, string Actor);

/// <summary>The choices of the machine form and filters.</summary>
public sealed record MachineOptions(IReadOnlyList<NamedRef> Environments, IReadOnlyList<NamedRef> Policies, IReadOnlyList<string> Roles);
