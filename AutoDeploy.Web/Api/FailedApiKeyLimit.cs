using System.Globalization;
using System.Threading.RateLimiting;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Api;

/// <summary>
/// Failed API-key authentications per address, on every path (pages answer a bad key with 401 too): each failure takes a
/// token from the address's bucket; with the bucket empty, every request from the address that carries an API key is
/// 429 with <c>Retry-After</c> and problem details, a right key included, so guessing learns nothing until it refills.
/// </summary>
public sealed class FailedApiKeyLimit : IDisposable
{
    private const string CountedItem = "AutoDeploy.FailedApiKeyCounted";
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly TimeSpan refill;

    public FailedApiKeyLimit(IOptions<ApiLimitOptions> options)
    {
        var bucket = TokenBuckets.Options(options.Value.FailedApiKeyBurst, options.Value.FailedApiKeyPerSecond);
        refill = bucket.ReplenishmentPeriod;
        limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => bucket));
    }

    /// <summary>Runs after authentication, which has tried the key.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // Once per request: an error page re-executes the pipeline with the same context.
        if (string.IsNullOrWhiteSpace(context.Request.Headers[ApiKey.HeaderName].ToString()) || !context.Items.TryAdd(CountedItem, true))
        {
            await next(context);
            return;
        }
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (context.User.Identity?.IsAuthenticated == true)
        {
            if (limiter.GetStatistics(address)?.CurrentAvailablePermits is 0)
            {
                await RefuseAsync(context, refill);
                return;
            }
        }
        else
        {
            using var lease = limiter.AttemptAcquire(address);
            if (!lease.IsAcquired)
            {
                await RefuseAsync(context, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : refill);
                return;
            }
        }
        await next(context);
    }

    public void Dispose() => limiter.Dispose();

    private static async Task RefuseAsync(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = $"Too many requests with a wrong API key from this address: wait {seconds} second(s) and try again.";
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail },
            }))
        {
            await context.Response.WriteAsync(detail);
        }
    }
}
