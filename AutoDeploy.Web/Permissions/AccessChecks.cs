using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Data;

namespace AutoDeploy.Web.Permissions;

/// <summary>
/// The services' one way to refuse: a thing the caller may not even see is "does not exist" (404), so a Viewer limited to
/// projects cannot learn what else there is; one they see but may not change is 403 with what their roles lack. Only a project
/// is hidden so: environments are few and named on the machines, and a Deployer for Test asking for Production learns it is refused.
/// </summary>
public static class AccessChecks
{
    /// <summary>Null when allowed; else the refusal. <paramref name="what"/> names the thing, e.g. "Project 4".</summary>
    public static SaveResult? Refusal(this Access access, Permission permission, int? projectId, int? environmentId, string what)
    {
        if (access.Can(permission, projectId, environmentId))
        {
            return null;
        }
        var visible = projectId is not { } p || access.CanViewProject(p);
        return visible
            ? SaveResult.Forbidden($"Your roles do not allow {Describe(permission)} {what}.")
            : SaveResult.NotFound($"{what} does not exist.");
    }

    /// <summary>The same, with the scope's access.</summary>
    public static async Task<SaveResult?> RefusalAsync(this CurrentAccess current, Permission permission, int? projectId, string what,
        CancellationToken cancellationToken = default, int? environmentId = null) =>
        (await current.GetAsync(cancellationToken)).Refusal(permission, projectId, environmentId, what);

    private static string Describe(Permission permission) => permission switch
    {
        Permission.View => "reading",
        Permission.EditProject => "changing",
        Permission.Deploy => "deploying",
        _ => "administering",
    };
}
