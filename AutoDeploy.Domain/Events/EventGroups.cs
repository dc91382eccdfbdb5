namespace AutoDeploy.Domain.Events;

using static EventCategories;

/// <summary>Named groups of machine event categories that triggers filter on (docs/architecture.md §3).</summary>
public static class EventGroups
{
    public const string MachineAvailableForDeployment = "MachineAvailableForDeployment";
    public const string MachineUnavailableForDeployment = "MachineUnavailableForDeployment";
    public const string MachineHealthChanged = "MachineHealthChanged";
    public const string MachineCritical = "MachineCritical";
    public const string Machine = "Machine";

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Members =
        new Dictionary<string, IReadOnlyList<string>>
        {
            [MachineAvailableForDeployment] = [MachineEnabled, MachineHealthy, MachineHasWarnings],
            [MachineUnavailableForDeployment] = [MachineDisabled, MachineUnavailable, MachineUnhealthy],
            [MachineHealthChanged] = [MachineHealthy, MachineHasWarnings, MachineUnhealthy, MachineUnavailable],
            [MachineCritical] = [MachineCleanupFailed, MachineUnavailable],
            [Machine] = EventCategories.Machine,
        };

    /// <summary>The categories named directly plus every member of the named groups, without duplicates.</summary>
    public static IReadOnlySet<string> Expand(IEnumerable<string> groups, IEnumerable<string> categories)
    {
        var result = new HashSet<string>(categories, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (Members.TryGetValue(group, out var members))
            {
                result.UnionWith(members);
            }
        }
        return result;
    }
}
