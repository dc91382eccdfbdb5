using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Subscriptions;

/// <summary>Subscriptions (webhooks): their services, the delivery worker and the HTTP client it posts with.</summary>
public static class SubscriptionExtensions
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SubscriptionOptions>(configuration.GetSection(SubscriptionOptions.Section));
        services.AddHttpClient(WebhookSender.ClientName, (sp, client) =>
            {
                client.Timeout = sp.GetRequiredService<IOptions<SubscriptionOptions>>().Value.Timeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("AutoDeploy-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddSingleton<SubscriptionSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<SubscriptionDeliverer>();
        services.AddScoped<SubscriptionService>();
        services.AddHostedService<BackgroundService>(sp => sp.GetRequiredService<IOptions<SubscriptionOptions>>().Value.Deliver
            ? ActivatorUtilities.CreateInstance<SubscriptionWorker>(sp)
            : new IdleWorker());
        return services;
    }

    /// <summary>Stands in for the worker on a node configured not to deliver.</summary>
    private sealed class IdleWorker : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }
}
