using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using AutoDeploy.Web.Workers;
using Microsoft.AspNetCore.Authentication;

namespace AutoDeploy.Web.Hosting;

public static class TaskExtensions
{
    /// <summary>Agents (their token scheme and protocol), deployments, health checks and the auto-deploy engine, and the workers that run them.</summary>
    public static WebApplicationBuilder AddAutoDeployTasks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<TaskOptions>(builder.Configuration.GetSection("Tasks"));
        services.Configure<HealthCheckOptions>(builder.Configuration.GetSection("HealthChecks"));
        services.Configure<AutoDeployOptions>(builder.Configuration.GetSection("AutoDeploy"));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(AgentAuthenticationHandler.PolicyName, p => p
            .AddAuthenticationSchemes(AgentAuthenticationHandler.SchemeName)
            .RequireClaim(AgentAuthenticationHandler.MachineIdClaim));
        services.AddSingleton<TaskSignals>();
        services.AddSingleton<ServerStalls>();
        services.AddHostedService(sp => sp.GetRequiredService<ServerStalls>());
        services.AddSingleton<AgentWorkGate>();
        services.AddSingleton<JobDispatch>();
        services.AddSingleton<JobReports>();
        services.AddSingleton<DeploymentRunner>();
        services.AddSingleton<DeploymentRecovery>();
        services.AddScoped<DeploymentService>();
        services.AddSingleton<HealthCheckService>();
        services.AddHostedService<TaskWorker>();
        services.AddSingleton<HealthCheckWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthCheckWorker>());
        services.AddSingleton<AutoDeployEngine>();
        services.AddHostedService<AutoDeployWorker>();
        return builder;
    }
}
