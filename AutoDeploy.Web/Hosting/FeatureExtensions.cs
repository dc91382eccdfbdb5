using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Fleet;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Packages;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Hosting;

/// <summary>What the pages and the REST API share, one feature at a time (bUnit tests register just the ones they need).</summary>
public static class FeatureExtensions
{
    public static IServiceCollection AddEnvironments(this IServiceCollection services) =>
        services.AddPermissions().AddScoped<EnvironmentService>();

    /// <summary>Machines, their registration by agents, and the enrolment tokens agents register with.</summary>
    public static IServiceCollection AddMachines(this IServiceCollection services) =>
        services.AddScoped<MachineService>().AddScoped<MachineRegistrationService>().AddScoped<EnrolmentTokenService>();

    /// <summary>install.sh and the agent binaries a new machine downloads (Agents:Folder says where they are).</summary>
    public static IServiceCollection AddAgentInstall(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<AgentBinaryOptions>(configuration.GetSection("Agents"))
            .AddSingleton<AgentBinaries>().AddSingleton<ServerCertificate>().AddSingleton<InstallScript>();

    /// <summary>
    /// The package repository: its files in Packages:Folder, by default <c>packages</c> in the database's data folder
    /// (relative paths from the content root, as the SQLite file's).
    /// </summary>
    public static IServiceCollection AddPackages(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.Configure<PackageOptions>(configuration.GetSection(PackageOptions.Section));
        services.AddSingleton(sp =>
        {
            var folder = configuration[$"{PackageOptions.Section}:{nameof(PackageOptions.Folder)}"];
            if (string.IsNullOrWhiteSpace(folder))
            {
                var database = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
                folder = Path.Combine(database.DataFolder, "packages");
            }
            var store = new PackageStore(Path.Combine(contentRoot, folder));
            store.DeleteAbandonedUploads(sp.GetRequiredService<TimeProvider>().GetUtcNow());
            return store;
        });
        services.AddSingleton<PackageRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<PackageRetention>());
        return services.AddScoped<PackageService>();
    }

    public static IServiceCollection AddMachinePolicies(this IServiceCollection services) =>
        services.AddScoped<MachinePolicyService>();

    /// <summary>Projects and their releases.</summary>
    public static IServiceCollection AddProjects(this IServiceCollection services) =>
        services.AddPermissions().AddScoped<ProjectService>().AddScoped<ReleaseService>();

    /// <summary>Project triggers and auto-deploy overrides.</summary>
    public static IServiceCollection AddTriggers(this IServiceCollection services) =>
        services.AddPermissions().AddScoped<TriggerService>().AddScoped<AutoDeployOverrideService>();

    public static IServiceCollection AddEventLog(this IServiceCollection services) =>
        services.AddPermissions().AddScoped<EventLogService>();

    public static IServiceCollection AddHealthCheckRuns(this IServiceCollection services) =>
        services.AddScoped<HealthCheckRunQueries>();

    /// <summary>The engine's decisions as the pages explain them, the trigger editor's preview, and machines' readiness.</summary>
    public static IServiceCollection AddAutoDeployDecisions(this IServiceCollection services) =>
        services.AddScoped<AutoDeployDecisionQueries>().AddScoped<TriggerPreviewService>().AddScoped<ReadinessLoader>();

    /// <summary>Fleet drift: the release each machine should have of each project, the one it has, and its state.</summary>
    public static IServiceCollection AddFleet(this IServiceCollection services) =>
        services.AddPermissions().AddScoped<FleetService>();
}
