using System.Text.Json.Serialization;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Components;
using AutoDeploy.Web.Services;
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
        builder.AddAutoDeployTasks();
        builder.AddActivityFeed();

        // One line per feature: its services (pages and API share them).
        services.AddEnvironments();
        services.AddMachines();
        services.AddMachinePolicies();
        services.AddProjects();
        services.AddTriggers();
        services.AddEventLog();
        services.AddHealthCheckRuns();
        services.AddAutoDeployDecisions();
        services.AddAgentInstall(builder.Configuration);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddValidatorsFromAssemblyContaining<EnvironmentInputValidator>(includeInternalTypes: true);
        services.AddValidatorsFromAssemblyContaining<Program>(includeInternalTypes: true);

        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static WebApplication MapAutoDeploy(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        // Not for the API: re-executing a refused POST as the not-found page turned its 401 into a 400.
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), b => b.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseAutoDeployIdentity();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapOpenApi();
        app.MapHealthChecks("/healthz");
        var api = app.MapGroup("/api");
        api.MapEnvironmentsApi();
        api.MapMachinesApi();
        api.MapEnrolmentTokensApi();
        api.MapMachinePoliciesApi();
        api.MapProjectsApi();
        api.MapReleasesApi();
        api.MapTriggersApi();
        api.MapMeApi();
        api.MapAgentApi();
        api.MapDeploymentsApi();
        api.MapEventsApi();
        api.MapHealthChecksApi();
        app.MapInstallApi();
        app.MapAutoDeployIdentity();
        app.MapActivityFeed();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
