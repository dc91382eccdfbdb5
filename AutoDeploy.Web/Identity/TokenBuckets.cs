using System.Threading.RateLimiting;

namespace AutoDeploy.Web.Identity;

/// <summary>The one shape of every limit the server keeps (the API's and the sign-in's): a token bucket.</summary>
public static class TokenBuckets
{
    /// <summary>A bucket of <paramref name="burst"/> tokens refilled one at a time, <paramref name="perSecond"/> a second, no queue.</summary>
    public static TokenBucketRateLimiterOptions Options(int burst, double perSecond) => new()
    {
        TokenLimit = Math.Max(1, burst),
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1 / Math.Clamp(perSecond, 0.0001, 1_000_000)),
        QueueLimit = 0,
    };
}
