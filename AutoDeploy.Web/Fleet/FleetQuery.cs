using AutoDeploy.Domain.Fleet;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Fleet;

/// <summary>
/// A page of fleet drift: machines in an environment and with a role, a project, a state; the page after a cursor
/// (a row's <see cref="DriftRow.Cursor"/>; none: the first). Counts are over every filter but the state.
/// </summary>
public sealed record FleetQuery(
    int? EnvironmentId = null,
    string? Role = null,
    int? ProjectId = null,
    DriftState? State = null,
    FleetCursor? After = null,
    int Take = FleetQuery.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;
}

/// <summary>
/// One page of rows, the counts per state of the rows that match every filter but the state (the chips), how many
/// match them all (<see cref="Total"/>), and the cursor of the next page (null on the last).
/// </summary>
public sealed record FleetList(DriftCounts Counts, int Total, IReadOnlyList<DriftRow> Rows, string? NextAfter);

/// <summary>The choices of the screen's filters.</summary>
public sealed record FleetFilters(IReadOnlyList<NamedRef> Environments, IReadOnlyList<string> Roles, IReadOnlyList<NamedRef> Projects);
