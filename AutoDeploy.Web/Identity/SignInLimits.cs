using System.Threading.RateLimiting;
using AutoDeploy.Domain.Validation;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Identity;

/// <summary>The <c>SignIn</c> section: how fast one address, and one account, may try passwords (and set-up tokens).</summary>
public sealed class SignInLimitOptions
{
    public const string Section = "SignIn";

    /// <summary>Sign-in and set-up attempts one address may make at once, refilled at <see cref="AddressPerMinute"/>.</summary>
    public int AddressBurst { get; set; } = 10;

    public double AddressPerMinute { get; set; } = 10;

    /// <summary>
    /// Attempts on one account from browsers that have never signed in to it, at once, refilled at
    /// <see cref="AccountPerMinute"/>; a browser that has signed in to the account before is not counted (<see cref="KnownBrowsers"/>).
    /// </summary>
    public int AccountBurst { get; set; } = 10;

    public double AccountPerMinute { get; set; } = 2;
}

public static class SignInLimitRegistration
{
    /// <summary>The sign-in limits, the known-browser cookie and the sign-in flow that uses them.</summary>
    public static IServiceCollection AddSignInLimits(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<SignInLimitOptions>(configuration.GetSection(SignInLimitOptions.Section))
            .AddSingleton<SignInLimits>().AddSingleton<KnownBrowsers>().AddScoped<PasswordSignIn>();
}

/// <summary>
/// Token buckets (ASP.NET Core's rate limiters) in front of the password check: per address for every sign-in and
/// set-up attempt, per account for attempts from browsers the account does not know. They sit in the forms rather than
/// the middleware because the account is in the posted form and the answer is the form with a message. Per node:
/// with several nodes behind a balancer, an address gets the allowance on each node.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> addresses;
    private readonly PartitionedRateLimiter<string> accounts;

    public SignInLimits(IOptions<SignInLimitOptions> options)
    {
        var o = options.Value;
        addresses = Create(TokenBuckets.Options(o.AddressBurst, o.AddressPerMinute / 60));
        accounts = Create(TokenBuckets.Options(o.AccountBurst, o.AccountPerMinute / 60));
    }

    /// <summary>Null if the request's address may try now, else how long it should wait.</summary>
    public TimeSpan? AttemptFromAddress(HttpContext context) => Attempt(addresses, context.Connection.RemoteIpAddress?.ToString() ?? "");

    /// <summary>Null if the account (as typed: case and spaces aside) may be tried now, else how long to wait.</summary>
    public TimeSpan? AttemptOnAccount(string email) => Attempt(accounts, TextRules.Clean(email, 256).ToUpperInvariant());

    public void Dispose()
    {
        addresses.Dispose();
        accounts.Dispose();
    }

    private static TimeSpan? Attempt(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
    }

    private static PartitionedRateLimiter<string> Create(TokenBucketRateLimiterOptions bucket) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket));
}
