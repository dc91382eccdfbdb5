using AutoDeploy.Web.Services;
using AutoDeploy.Web.Workers;
using Microsoft.AspNetCore.Authentication;

namespace AutoDeploy.Web.Agents;

public static class TaskExtensions
{
    /// <summary>Agents (their token scheme and protocol), deployments and the TaskWorker that runs them.</summary>
    public static WebApplicationBuilder AddAutoDeployTasks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<TaskOptions>(builder.Configuration.GetSection("Tasks"));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(AgentAuthenticationHandler.PolicyName, p => p
            .AddAuthenticationSchemes(AgentAuthenticationHandler.SchemeName)
            .RequireClaim(AgentAuthenticationHandler.MachineIdClaim));
        services.AddSingleton<TaskSignals>();
        services.AddSingleton<AgentService>();
        services.AddSingleton<DeploymentRunner>();
        services.AddScoped<DeploymentService>();
        services.AddHostedService<TaskWorker>();
        return builder;
    }
}
