using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Api;

/// <summary>The <c>Api</c> section: how much one request may send and how fast one caller may call.</summary>
public sealed class ApiLimitOptions
{
    public const string Section = "Api";

    /// <summary>A request body above this is refused with 413 (endpoints that take more say so in their metadata).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests a signed-in caller (API key or session) may make at once, refilled at <see cref="CallerPerSecond"/>.</summary>
    public int CallerBurst { get; set; } = 600;

    public double CallerPerSecond { get; set; } = 100;

    /// <summary>Requests without valid credentials one address may make at once (guessing keys is slow), refilled at <see cref="AnonymousPerSecond"/>.</summary>
    public int AnonymousBurst { get; set; } = 60;

    public double AnonymousPerSecond { get; set; } = 2;

    /// <summary>
    /// Machine registrations (with an enrolment token or an administrator's key) one address may make at once, refilled at
    /// <see cref="RegistrationPerSecond"/>: generous, since a thousand new machines may come from a few NAT addresses
    /// together; each registration needs a credential anyway, and a token allows only its uses.
    /// </summary>
    public int RegistrationBurst { get; set; } = 1000;

    public double RegistrationPerSecond { get; set; } = 20;

    /// <summary>
    /// Requests with an API key that is unknown, revoked or whose user is gone or disabled one address may send at once,
    /// refilled at <see cref="FailedApiKeyPerSecond"/>; beyond that every API key from the address is refused (429) until
    /// the bucket refills, so a guess that happens to be right tells nothing.
    /// </summary>
    public int FailedApiKeyBurst { get; set; } = 20;

    public double FailedApiKeyPerSecond { get; set; } = 0.2;
}

/// <summary>
/// The API's limits: a body over <see cref="ApiLimitOptions.MaxRequestBodyBytes"/> is 413, and each caller has a token
/// bucket (by user once authenticated, by address before) whose overflow is 429 with <c>Retry-After</c>; both answers
/// are problem details. The agent protocol and the agent binaries are left out (<see cref="ForFleet{TBuilder}"/>): a
/// thousand machines poll at once, and each agent has its own token; registration has its own, generous bucket per
/// address (<see cref="ForRegistration{TBuilder}"/>), since a thousand machines may join at once from a few NAT addresses.
/// Failed API keys have their own limit per address (<see cref="FailedApiKeyLimit"/>).
/// </summary>
public static class ApiLimits
{
    /// <summary>What the agent protocol may send in one request: a batch of log lines, well above the API's default.</summary>
    public const long FleetMaxRequestBodyBytes = 30 * 1024 * 1024;

    public static IServiceCollection AddApiLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApiLimitOptions>(configuration.GetSection(ApiLimitOptions.Section));
        services.AddSingleton<FailedApiKeyLimit>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                return ValueTask.CompletedTask;
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
        });
        return services;
    }

    /// <summary>The agents' endpoints: larger bodies, no per-caller rate (see the class summary).</summary>
    public static TBuilder ForFleet<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FleetBodyLimit()).DisableRateLimiting();

    /// <summary>Machine registration: larger bodies, and its own generous rate per address (<see cref="ApiLimitOptions.RegistrationBurst"/>).</summary>
    public static TBuilder ForRegistration<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FleetBodyLimit(), new RegistrationRate());

    /// <summary>Counts failed API keys per address (<see cref="FailedApiKeyLimit"/>); after authentication.</summary>
    public static IApplicationBuilder UseFailedApiKeyLimit(this IApplicationBuilder app) =>
        app.Use((context, next) => context.RequestServices.GetRequiredService<FailedApiKeyLimit>().InvokeAsync(context, next));

    /// <summary>Sets the body limit of an API request; runs after routing, so the endpoint's own limit wins.</summary>
    public static IApplicationBuilder UseApiBodyLimit(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (ApiRefusal.IsApi(context) && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                ?? context.RequestServices.GetRequiredService<IOptions<ApiLimitOptions>>().Value.MaxRequestBodyBytes;
        }
        return next(context);
    });

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        if (!ApiRefusal.IsApi(context))
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        var limits = context.RequestServices.GetRequiredService<IOptions<ApiLimitOptions>>().Value;
        if (context.GetEndpoint()?.Metadata.GetMetadata<RegistrationRate>() is not null)
        {
            return Bucket($"registration:{context.Connection.RemoteIpAddress}", limits.RegistrationBurst, limits.RegistrationPerSecond);
        }
        var userId = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        return userId is not null
            ? Bucket($"user:{userId}", limits.CallerBurst, limits.CallerPerSecond)
            : Bucket($"address:{context.Connection.RemoteIpAddress}", limits.AnonymousBurst, limits.AnonymousPerSecond);
    }

    private static RateLimitPartition<string> Bucket(string key, int burst, double perSecond) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => TokenBuckets.Options(burst, perSecond));

    private sealed class FleetBodyLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => FleetMaxRequestBodyBytes;
    }

    private sealed class RegistrationRate;
}
