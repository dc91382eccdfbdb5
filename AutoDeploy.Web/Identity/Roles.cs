using AutoDeploy.Web.Permissions;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// The role presets a user can be given in one word (<see cref="RolePresets"/>): Administrator does everything, Deployer
/// edits projects and deploys everywhere, Viewer reads. Administrator is also Identity's role of that name.
/// </summary>
public static class Roles
{
    public const string Administrator = RolePresets.Administrator;
    public const string Deployer = RolePresets.Deployer;
    public const string Viewer = RolePresets.Viewer;

    public static readonly IReadOnlyList<string> All = RolePresets.All;
}
