namespace AutoDeploy.Web.Identity;

/// <summary>Sign-in, roles and API keys. (Filled in by the sign-in work.)</summary>
public static class IdentityExtensions
{
    public static WebApplicationBuilder AddAutoDeployIdentity(this WebApplicationBuilder builder) => builder;

    public static WebApplication UseAutoDeployIdentity(this WebApplication app) => app;

    public static WebApplication MapAutoDeployIdentity(this WebApplication app) => app;
}
