using AutoDeploy.Web.Retention;

namespace AutoDeploy.Web.Hosting;

public static class RetentionExtensions
{
    /// <summary>The retention sweep (<see cref="RetentionOptions"/>); it keeps everything until an age is configured.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(RetentionOptions.Section);
        if ((section.Get<RetentionOptions>() ?? new RetentionOptions()).Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.Configure<RetentionOptions>(section);
        services.AddSingleton<RetentionSweep>();
        services.AddHostedService<RetentionWorker>();
        return services;
    }
}
