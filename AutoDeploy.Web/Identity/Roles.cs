namespace AutoDeploy.Web.Identity;

/// <summary>The three roles: Administrator does everything, Deployer deploys and manages releases and triggers, Viewer reads.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Deployer = "Deployer";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Administrator, Deployer, Viewer];
}
