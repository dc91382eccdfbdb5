using AutoDeploy.Domain.Permissions;

namespace AutoDeploy.Web.Permissions;

/// <summary>
/// The three roles of before assignments, kept as presets (<c>PUT /api/users/{id}/role</c>, a new user's <c>role</c>) and as
/// the one-word summary lists show: Administrator; Deployer = Project editor + Deployer, unscoped; Viewer, unscoped.
/// Anything else is "Custom".
/// </summary>
public static class RolePresets
{
    public const string Administrator = "Administrator";
    public const string Deployer = "Deployer";
    public const string Viewer = "Viewer";
    public const string Custom = "Custom";
    public const string None = "None";

    public static readonly IReadOnlyList<string> All = [Administrator, Deployer, Viewer];

    public static IReadOnlyList<RoleAssignment>? For(string preset) => preset switch
    {
        Administrator => [RoleAssignment.Unscoped(AssignedRoles.Administrator)],
        Deployer => [RoleAssignment.Unscoped(AssignedRoles.ProjectEditor), RoleAssignment.Unscoped(AssignedRoles.Deployer)],
        Viewer => [RoleAssignment.Unscoped(AssignedRoles.Viewer)],
        _ => null,
    };

    public static string Summarize(IReadOnlyList<RoleAssignment> assignments)
    {
        if (assignments.Any(a => a.Role == AssignedRoles.Administrator))
        {
            return Administrator;
        }
        if (assignments.Count == 0)
        {
            return None;
        }
        var set = assignments.Where(a => a.IsUnscoped).Select(a => a.Role).ToHashSet();
        return assignments.All(a => a.IsUnscoped) && set.SetEquals([AssignedRoles.ProjectEditor, AssignedRoles.Deployer]) ? Deployer
            : assignments.All(a => a.IsUnscoped) && set.SetEquals([AssignedRoles.Viewer]) ? Viewer
            : Custom;
    }
}
