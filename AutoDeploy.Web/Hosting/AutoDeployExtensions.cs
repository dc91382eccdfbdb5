using System.Text.Json.Serialization;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Components;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Subscriptions;
using FluentValidation;
using MudBlazor.Services;

namespace AutoDeploy.Web.Hosting;

/// <summary>Everything AutoDeploy.Web registers and maps; Program.cs is just the table of contents.</summary>
public static class AutoDeployExtensions
{
    public static WebApplicationBuilder AddAutoDeploy(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        builder.AddAutoDeployDatabase();
        builder.AddAutoDeployIdentity();
        builder.AddAutoDeployTransport();
        builder.AddAutoDeployTasks();
        builder.AddActivityFeed();
        builder.AddAutoDeployTelemetry();

        // One line per feature: its services (pages and API share them).
        services.AddEnvironments();
        services.AddMachines();
        services.AddMachinePolicies();
        services.AddProjects();
        services.AddTriggers();
        services.AddEventLog();
        services.AddHealthCheckRuns();
        services.AddAutoDeployDecisions();
        services.AddFleet();
        services.AddRetention(builder.Configuration);
        services.AddScoped<AutoDeploy.Web.Backup.BackupService>();
        services.AddAgentInstall(builder.Configuration);
        services.AddPackages(builder.Configuration, builder.Environment.ContentRootPath);
        services.AddSubscriptions(builder.Configuration);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddValidatorsFromAssemblyContaining<EnvironmentInputValidator>(includeInternalTypes: true);
        services.AddValidatorsFromAssemblyContaining<Program>(includeInternalTypes: true);

        services.AddApiProblems();
        services.AddApiLimits(builder.Configuration);
        services.AddApiContract();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static WebApplication MapAutoDeploy(this WebApplication app)
    {
        app.UseAutoDeployTransport();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        // Pages' errors are the app's pages. Not in a branch: a branched pipeline does not route again, so a re-executed
        // request found nothing and the browser got an empty 404. The API's own handling comes after (inside) these: an
        // API error already has its problem body when they see it, so they leave it alone.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseApiProblems();
        app.UseApiBodyLimit();
        app.UseAutoDeployIdentity();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapOpenApi();
        app.MapHealthChecks("/healthz");
        app.MapAutoDeployMetrics();
        var api = app.MapGroup("/api");
        api.MapEnvironmentsApi();
        api.MapMachinesApi();
        api.MapEnrolmentTokensApi();
        api.MapMachinePoliciesApi();
        api.MapProjectsApi();
        api.MapReleasesApi();
        api.MapTriggersApi();
        api.MapDecisionsApi();
        api.MapMeApi();
        api.MapAgentApi();
        api.MapDeploymentsApi();
        api.MapEventsApi();
        api.MapPackagesApi();
        api.MapHealthChecksApi();
        api.MapFleetApi();
        api.MapBackupApi();
        api.MapSubscriptionsApi();
        app.MapInstallApi();
        app.MapAutoDeployIdentity();
        app.MapActivityFeed();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
