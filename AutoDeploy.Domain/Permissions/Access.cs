namespace AutoDeploy.Domain.Permissions;

/// <summary>
/// What one user (or their API key) may do: the union of their role assignments. Loaded once per request or circuit;
/// every check of the services and the API goes through <see cref="Can"/> and <see cref="CanView"/>.
/// </summary>
public sealed class Access(string? userId, IReadOnlyList<RoleAssignment> assignments)
{
    /// <summary>Nobody: no assignment, so nothing may be done or seen.</summary>
    public static readonly Access None = new(null, []);

    /// <summary>The server itself (workers, start-up): everything.</summary>
    public static readonly Access System = new(null, [RoleAssignment.Unscoped(AssignedRoles.Administrator)]);

    public string? UserId { get; } = userId;

    public IReadOnlyList<RoleAssignment> Assignments { get; } = assignments;

    public bool IsAdministrator => Assignments.Any(a => a.Role == AssignedRoles.Administrator);

    /// <summary>
    /// Whether some assignment grants the permission for the project and environment. A null id means "any": a new project
    /// (no id yet) needs an assignment not limited to projects; a null environment, one not limited to environments.
    /// </summary>
    public bool Can(Permission permission, int? projectId = null, int? environmentId = null) =>
        IsAdministrator || Assignments.Any(a => a.Grants(permission) && a.CoversProject(projectId) && a.CoversEnvironment(environmentId));

    /// <summary>Whether the permission is granted for at least one project and environment (a button worth showing).</summary>
    public bool CanAny(Permission permission) => IsAdministrator || Assignments.Any(a => a.Grants(permission));

    /// <summary>
    /// Whether a thing of the project (or none) that concerns the environments given (or none) may be seen: a limit counts
    /// only for the dimension the thing has; of several environments, one within the limit is enough.
    /// </summary>
    public bool CanView(int? projectId, IReadOnlyCollection<int> environmentIds) =>
        IsAdministrator || Assignments.Any(a =>
            (projectId is null || a.CoversProject(projectId))
            && (environmentIds.Count == 0 || a.EnvironmentIds.Count == 0 || environmentIds.Any(a.EnvironmentIds.Contains)));

    /// <summary>Whether everything may be seen, so lists need no filter.</summary>
    public bool SeesEverything => IsAdministrator || Assignments.Any(a => a.IsUnscoped);

    /// <summary>Whether the project may be seen at all (in some environment).</summary>
    public bool CanViewProject(int projectId) => CanView(projectId, []);

    /// <summary>Whether the environment may be seen at all (for some project).</summary>
    public bool CanViewEnvironment(int environmentId) => CanView(null, [environmentId]);
}
