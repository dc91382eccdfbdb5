using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Permissions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AutoDeploy.Web.Hosting;

public static class PermissionsExtensions
{
    /// <summary>Scoped permissions: each request's or circuit's access, and the policy handler that asks it.</summary>
    public static IServiceCollection AddPermissions(this IServiceCollection services)
    {
        services.TryAddSingleton<AccessLoader>();
        services.TryAddScoped<CurrentAccess>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthorizationHandler, AccessRequirementHandler>());
        return services;
    }
}
