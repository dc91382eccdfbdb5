using AutoDeploy.Web.Feed;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Hosting;

public static class ActivityFeedExtensions
{
    /// <summary>The live activity feed (its worker, the hub's subscriptions) and the dashboard it keeps current.</summary>
    public static WebApplicationBuilder AddActivityFeed(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<ActivityFeedOptions>(builder.Configuration.GetSection("ActivityFeed"));
        services.AddSignalR();
        services.AddSingleton<ActivityFeed>();
        services.AddSingleton<IActivityFeed>(sp => sp.GetRequiredService<ActivityFeed>());
        services.AddSingleton<ActivityEventReader>();
        services.AddSingleton<ActivityHubSubscriptions>();
        services.AddSingleton<HubAccessGuard>();
        services.AddHostedService<ActivityFeedWorker>();
        services.AddScoped<DashboardService>();
        return builder;
    }

    /// <summary><c>/hubs/activity</c>: the feed for scripts and other clients outside the browser.</summary>
    public static WebApplication MapActivityFeed(this WebApplication app)
    {
        app.MapHub<ActivityHub>(ActivityHub.Path).RequireAuthorization(Policies.View);
        return app;
    }
}
