using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// The limits per address beside the API's per-caller one: failed API keys on any path (a page too), after which even
/// a right key from that address is refused; and machine registration, with its own generous bucket instead of the
/// anonymous callers' small one. On SQLite only: the limits are the rate limiter's, in front of any database.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class FrontDoorLimitsTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();

    public Task InitializeAsync()
    {
        // One token back every ~3 hours: nothing refills within a test, so the counts below are exact.
        _app.Settings["Api:FailedApiKeyBurst"] = "3";
        _app.Settings["Api:FailedApiKeyPerSecond"] = "0.0001";
        _app.Settings["Api:RegistrationBurst"] = "4";
        _app.Settings["Api:RegistrationPerSecond"] = "0.0001";
        _app.Settings["Api:AnonymousBurst"] = "1";
        _app.Settings["Api:AnonymousPerSecond"] = "0.0001";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Wrong_api_keys_are_limited_per_address_on_pages_too_and_then_a_right_key_is_refused_as_well()
    {
        var guesser = Client("API-GUESS0123456789ABCDEFGHIJKLMNOPQR");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/machines")).StatusCode);
        }

        var refused = await guesser.GetAsync("/machines");
        var rightKey = await Client(AutoDeployAppFactory.AdminApiKey).GetAsync("/api/environments");

        var problem = await ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("wrong API key", problem.Detail);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
        await ProblemAsync(rightKey, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Registration_has_its_own_bucket_per_address_with_429_and_retry_after()
    {
        var anonymous = Client(null);
        for (var i = 0; i < 4; i++)
        {
            // More than the anonymous bucket (1) allows: registration is not counted there.
            await ProblemAsync(await anonymous.PostAsJsonAsync("/api/machines/register", new { name = $"web-{i}" }), HttpStatusCode.Unauthorized);
        }

        var refused = await anonymous.PostAsJsonAsync("/api/machines/register", new { name = "web-5" });

        var problem = await ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("Too many requests", problem.Detail);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
    }

    private HttpClient Client(string? apiKey)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
        return client;
    }
}
