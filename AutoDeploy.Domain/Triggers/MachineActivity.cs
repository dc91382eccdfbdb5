using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Triggers;

/// <summary>
/// A machine's events in one window, balanced: what it raised after its last negative event (deleted,
/// disabled, unhealthy, unavailable). A machine that went away again in the window has no activity.
/// </summary>
public sealed record MachineActivity(int MachineId, IReadOnlySet<string> Categories, IReadOnlyList<long> EventIds)
{
    public static readonly IReadOnlySet<string> Negative = new HashSet<string>
    {
        EventCategories.MachineDeleted, EventCategories.MachineDisabled, EventCategories.MachineUnhealthy, EventCategories.MachineUnavailable,
    };

    public static IReadOnlyList<MachineActivity> Fold(IEnumerable<PlannerEvent> events)
    {
        var result = new List<MachineActivity>();
        foreach (var machine in events.Where(e => e.MachineId is not null && EventCategories.Machine.Contains(e.Category)).GroupBy(e => e.MachineId!.Value))
        {
            var ordered = machine.OrderBy(e => e.Id).ToList();
            var afterLastNegative = ordered.Skip(ordered.FindLastIndex(e => Negative.Contains(e.Category)) + 1).ToList();
            if (afterLastNegative.Count > 0)
            {
                result.Add(new MachineActivity(machine.Key, afterLastNegative.Select(e => e.Category).ToHashSet(),
                    afterLastNegative.Select(e => e.Id).ToList()));
            }
        }
        return result;
    }
}
