using System.Net;
using System.Net.Http.Json;
using System.Text;
using AutoDeploy.Tests.TestSupport;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// The API's limits, on real Kestrel (which enforces body sizes): a body over the limit is 413 and a caller over their
/// rate is 429, both problem details; the agents' endpoints keep their own, larger allowance. On SQLite only: the limits
/// are the web server's and the rate limiter's, in front of any database.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class ApiLimitsTests : IAsyncLifetime
{
    private const int BodyLimit = 4096;
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _anonymous = null!;
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _app.Settings["Api:MaxRequestBodyBytes"] = BodyLimit.ToString();
        _app.Settings["Api:CallerBurst"] = "5";
        _app.Settings["Api:AnonymousBurst"] = "3";
        // One token back every ~3 hours: no refill within a test, however slow the machine, so the counts below are exact.
        _app.Settings["Api:CallerPerSecond"] = "0.0001";
        _app.Settings["Api:AnonymousPerSecond"] = "0.0001";
        var server = new Uri(_app.StartOnKestrel());
        _anonymous = new HttpClient { BaseAddress = server };
        _admin = new HttpClient { BaseAddress = server };
        _admin.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_loses_nothing()
    {
        var tooLarge = new StringContent($$"""{"name":"big","description":"{{new string('x', BodyLimit)}}"}""", Encoding.UTF8, "application/json");

        var problem = await ProblemAsync(await _admin.PostAsync("/api/environments", tooLarge), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains(BodyLimit.ToString(), problem.Detail);
        var environments = await _admin.GetStringAsync("/api/environments");
        Assert.DoesNotContain("\"big\"", environments);
    }

    [Fact]
    public async Task Registration_takes_more_than_the_api_s_body_limit()
    {
        var padded = JsonContent.Create(new { name = "web-01", roles = new[] { new string('r', BodyLimit) } });

        var response = await _anonymous.PostAsync("/api/machines/register", padded);

        // Read and bound: refused for its credentials, not for its size.
        await ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_caller_over_their_rate_is_429_with_retry_after_and_other_callers_go_on()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync("/api/environments")).StatusCode);
        }

        var refused = await _admin.GetAsync("/api/environments");

        var problem = await ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
        Assert.Contains("Too many requests", problem.Detail);
        using var viewer = new HttpClient { BaseAddress = _admin.BaseAddress };
        viewer.DefaultRequestHeaders.Add("X-Api-Key", await _app.CreateViewerApiKeyAsync());
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/environments")).StatusCode);
    }

    [Fact]
    public async Task Guessing_api_keys_is_limited_per_address_but_agents_are_not()
    {
        using var guesser = new HttpClient { BaseAddress = _anonymous.BaseAddress };
        guesser.DefaultRequestHeaders.Add("X-Api-Key", "API-GUESS");
        for (var i = 0; i < 3; i++)
        {
            await ProblemAsync(await guesser.GetAsync("/api/environments"), HttpStatusCode.Unauthorized);
        }

        await ProblemAsync(await guesser.GetAsync("/api/environments"), HttpStatusCode.TooManyRequests);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync("/api/agent-binaries")).StatusCode);
        }
    }
}
