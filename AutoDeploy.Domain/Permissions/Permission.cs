namespace AutoDeploy.Domain.Permissions;

/// <summary>What a caller asks to do; <see cref="Access"/> answers per project and environment (docs/architecture.md §15).</summary>
public enum Permission
{
    /// <summary>Read a project, its releases, deployments and events, an environment and its machines.</summary>
    View,

    /// <summary>Change a project: its process, variables, triggers, releases, auto-deploy overrides and packages.</summary>
    EditProject,

    /// <summary>Queue, retry and cancel deployments of a project to an environment.</summary>
    Deploy,

    /// <summary>Everything else: environments, machines, policies, enrolment tokens, users.</summary>
    Administer,
}

/// <summary>The roles a user is assigned, after Octopus's user roles.</summary>
public static class AssignedRoles
{
    public const string Administrator = "Administrator";
    public const string ProjectEditor = "ProjectEditor";
    public const string Deployer = "Deployer";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Administrator, ProjectEditor, Deployer, Viewer];

    /// <summary>What each role may do within its scope; every role may view what it may do.</summary>
    public static IReadOnlyList<Permission> PermissionsOf(string role) => role switch
    {
        Administrator => [Permission.View, Permission.EditProject, Permission.Deploy, Permission.Administer],
        ProjectEditor => [Permission.View, Permission.EditProject],
        Deployer => [Permission.View, Permission.Deploy],
        Viewer => [Permission.View],
        _ => [],
    };

    public static string Describe(string role) => role switch
    {
        Administrator => "Everything, including users, environments and machines.",
        ProjectEditor => "Edits the process, variables, triggers, releases and packages of its projects.",
        Deployer => "Deploys, retries and cancels its projects in its environments.",
        Viewer => "Reads its projects and environments, changes nothing.",
        _ => "",
    };

    public static string Title(string role) => role == ProjectEditor ? "Project editor" : role;
}
