using System.Globalization;

namespace AutoDeploy.Domain.Fleet;

/// <summary>
/// A place in the fleet's list, which is ordered by machine id, then project id: <c>"{machineId}-{projectId}"</c>, as
/// <see cref="DriftRow.Cursor"/> writes it. A page after a cursor starts with the next row, wherever rows came or went.
/// </summary>
public readonly record struct FleetCursor(int MachineId, int ProjectId)
{
    public static string Of(int machineId, int projectId) => $"{machineId}-{projectId}";

    /// <summary>Reads a cursor; false for anything <see cref="Of"/> does not write.</summary>
    public static bool TryParse(string? text, out FleetCursor cursor)
    {
        cursor = default;
        var parts = text?.Split('-');
        if (parts is not [var machine, var project]
            || !int.TryParse(machine, NumberStyles.None, CultureInfo.InvariantCulture, out var machineId)
            || !int.TryParse(project, NumberStyles.None, CultureInfo.InvariantCulture, out var projectId))
        {
            return false;
        }
        cursor = new FleetCursor(machineId, projectId);
        return true;
    }

    /// <summary>The row of the machine and project comes after this place in the list.</summary>
    public bool Precedes(int machineId, int projectId) => machineId > MachineId || (machineId == MachineId && projectId > ProjectId);
}
