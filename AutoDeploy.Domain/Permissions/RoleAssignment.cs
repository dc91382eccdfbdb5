namespace AutoDeploy.Domain.Permissions;

/// <summary>
/// One role a user holds, optionally limited to environments and projects (none given: all). A limit applies only to
/// what has that dimension: a Deployer for Test deploys any project to Test; a Viewer of project A sees A's deployments
/// and the events of machines, which belong to no project.
/// </summary>
public sealed record RoleAssignment(string Role, IReadOnlyList<int> EnvironmentIds, IReadOnlyList<int> ProjectIds)
{
    public static RoleAssignment Unscoped(string role) => new(role, [], []);

    public bool Grants(Permission permission) => AssignedRoles.PermissionsOf(Role).Contains(permission);

    public bool CoversProject(int? projectId) => ProjectIds.Count == 0 || projectId is { } id && ProjectIds.Contains(id);

    public bool CoversEnvironment(int? environmentId) =>
        EnvironmentIds.Count == 0 || environmentId is { } id && EnvironmentIds.Contains(id);

    /// <summary>The assignment as text of its values, for comparing two lists of them.</summary>
    public string Key => $"{Role}|{string.Join(',', EnvironmentIds)}|{string.Join(',', ProjectIds)}";

    public bool IsUnscoped => EnvironmentIds.Count == 0 && ProjectIds.Count == 0;

    /// <summary>"Deployer for Test, Staging; projects Shop" as the Users page and events say it.</summary>
    public string Describe(Func<int, string> environmentName, Func<int, string> projectName)
    {
        var text = AssignedRoles.Title(Role);
        if (EnvironmentIds.Count > 0)
        {
            text += " for " + string.Join(", ", EnvironmentIds.Select(environmentName));
        }
        if (ProjectIds.Count > 0)
        {
            text += (EnvironmentIds.Count > 0 ? "; projects " : " of projects ") + string.Join(", ", ProjectIds.Select(projectName));
        }
        return text;
    }
}
