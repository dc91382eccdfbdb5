using Microsoft.AspNetCore.Authorization;

namespace AutoDeploy.Web.Identity;

/// <summary>Authorization policies, enforced alike by pages (<c>AuthorizeView Policy=</c>) and API endpoints.</summary>
public static class Policies
{
    /// <summary>Any signed-in user or API key: read everything.</summary>
    public const string View = "View";

    /// <summary>Administrators and Deployers: deploy, manage projects, releases and triggers.</summary>
    public const string Deploy = "Deploy";

    /// <summary>Administrators: environments, machines, policies, users.</summary>
    public const string Administer = "Administer";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(View, p => p.RequireAuthenticatedUser());
        options.AddPolicy(Deploy, p => p.RequireRole(Roles.Administrator, Roles.Deployer));
        options.AddPolicy(Administer, p => p.RequireRole(Roles.Administrator));
    }
}
