using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Triggers;

/// <summary>
/// A machine's events in one window, balanced: what it raised after its last negative event (deleted, disabled,
/// unhealthy, unavailable), and its <see cref="Leave"/> when it ends the window gone. A machine that went away again
/// in the window has no arrival; one that left and came back has no leave.
/// </summary>
public sealed record MachineActivity(int MachineId, IReadOnlySet<string> Categories, IReadOnlyList<long> EventIds)
{
    public static readonly IReadOnlySet<string> Negative = new HashSet<string>
    {
        EventCategories.MachineDeleted, EventCategories.MachineDisabled, EventCategories.MachineUnhealthy, EventCategories.MachineUnavailable,
    };

    /// <summary>The categories that bring a machine (back) into service: after one of them, it has not left.</summary>
    public static readonly IReadOnlySet<string> Arrival = new HashSet<string>
    {
        EventCategories.MachineAdded, EventCategories.MachineEnabled, EventCategories.MachineHealthy, EventCategories.MachineHasWarnings,
    };

    /// <summary>
    /// The machine left in this window and did not come back: the events from its first negative event after its last
    /// arrival to the end of the window (one leave, however many steps it took: unhealthy, then unavailable, then deleted).
    /// </summary>
    public MachineLeave? Leave { get; init; }

    public static IReadOnlyList<MachineActivity> Fold(IEnumerable<PlannerEvent> events)
    {
        var result = new List<MachineActivity>();
        foreach (var machine in events.Where(e => e.MachineId is not null && EventCategories.Machine.Contains(e.Category)).GroupBy(e => e.MachineId!.Value))
        {
            var ordered = machine.OrderBy(e => e.Id).ToList();
            var afterLastNegative = ordered.Skip(ordered.FindLastIndex(e => Negative.Contains(e.Category)) + 1).ToList();
            var leave = LeaveOf(ordered);
            if (afterLastNegative.Count > 0 || leave is not null)
            {
                result.Add(new MachineActivity(machine.Key, afterLastNegative.Select(e => e.Category).ToHashSet(),
                    afterLastNegative.Select(e => e.Id).ToList()) { Leave = leave });
            }
        }
        return result;
    }

    private static MachineLeave? LeaveOf(List<PlannerEvent> ordered)
    {
        var lastArrival = ordered.FindLastIndex(e => Arrival.Contains(e.Category));
        var start = ordered.FindIndex(lastArrival + 1, e => Negative.Contains(e.Category));
        if (start < 0)
        {
            return null;
        }
        return new MachineLeave(ordered.Skip(start).ToList());
    }
}

/// <summary>How a machine left in a window: its leaving events (the negative ones and any after them), oldest first.</summary>
public sealed record MachineLeave(IReadOnlyList<PlannerEvent> Events)
{
    public IReadOnlySet<string> Categories { get; } = Events.Select(e => e.Category).ToHashSet();

    public IReadOnlyList<long> EventIds { get; } = Events.Select(e => e.Id).ToList();
}
