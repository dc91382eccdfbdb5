using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using Microsoft.AspNetCore.Authorization;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// Authorization policies, enforced alike by pages (<c>AuthorizeView Policy=</c>) and API endpoints. They are the coarse
/// gate; which project and environment a caller may touch is checked by the services with <see cref="Access"/>.
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in user or API key; lists show what their assignments let them see.</summary>
    public const string View = "View";

    /// <summary>Holders of a role that changes projects or deploys (Administrator, Project editor, Deployer), scoped or not.</summary>
    public const string Deploy = "Deploy";

    /// <summary>Project editors (scoped or not) and administrators: packages, which every project may use.</summary>
    public const string EditProjects = "EditProjects";

    /// <summary>Administrators: environments, machines, policies, users.</summary>
    public const string Administer = "Administer";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(View, p => p.RequireAuthenticatedUser());
        options.AddPolicy(Deploy, p => p.RequireAuthenticatedUser()
            .AddRequirements(new AccessRequirement(a => a.CanAny(Permission.EditProject) || a.CanAny(Permission.Deploy))));
        options.AddPolicy(EditProjects, p => p.RequireAuthenticatedUser()
            .AddRequirements(new AccessRequirement(a => a.CanAny(Permission.EditProject))));
        options.AddPolicy(Administer, p => p.RequireRole(Roles.Administrator));
    }
}

/// <summary>A policy's question about the caller's <see cref="Access"/>.</summary>
public sealed class AccessRequirement(Func<Access, bool> allows) : IAuthorizationRequirement
{
    public bool Allows(Access access) => allows(access);
}

/// <summary>Answers <see cref="AccessRequirement"/> with the scope's <see cref="CurrentAccess"/> (a request's or a circuit's).</summary>
public sealed class AccessRequirementHandler(CurrentAccess current) : AuthorizationHandler<AccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        if (requirement.Allows(await current.GetAsync()))
        {
            context.Succeed(requirement);
        }
    }
}
