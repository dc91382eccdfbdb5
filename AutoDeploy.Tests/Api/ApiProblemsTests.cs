using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// Every error of the API is problem details: those the endpoints return and those the framework answers on its own
/// (authentication, routing, binding, the body's media type, an exception), and the one paging rule.
/// </summary>
[Trait("Database", "App")]
public sealed class ApiProblemsTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _client = app.CreateApiClient();

    [Fact]
    public async Task Without_a_key_it_is_401_naming_the_header_to_send()
    {
        var response = await app.CreateClient().GetAsync("/api/environments");

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.Detail);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_unknown_key_is_401_saying_so()
    {
        var response = await app.CreateApiClient("API-NOSUCHKEY0123456789ABCDEFGHIJ").GetAsync("/api/environments");

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("The API key is unknown or revoked.", problem.Detail);
    }

    [Fact]
    public async Task An_unknown_agent_token_is_401_with_the_bearer_scheme()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/agent/readiness");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "no-such-token");

        var response = await app.CreateClient().SendAsync(request);

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("token", problem.Detail);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_role_that_may_not_is_403()
    {
        var viewer = await app.CreateViewerClientAsync();

        var response = await viewer.PostAsJsonAsync("/api/environments", new { name = "Refused" });

        await ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Malformed_json_is_400_naming_the_parameter()
    {
        var response = await _client.PostAsync("/api/environments", new StringContent("{ \"name\": ", Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("request body", problem.Detail);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_400_naming_the_parameter()
    {
        var response = await _client.GetAsync("/api/events?take=abc");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("take", problem.Detail);
    }

    [Fact]
    public async Task A_huge_value_of_the_wrong_type_is_named_within_bounds()
    {
        var response = await _client.GetAsync($"/api/deployments?before={new string('x', 5000)}");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("Failed to bind parameter \"long? before\" from \"xxx", problem.Detail);
        Assert.True(problem.Detail!.Length < 200, problem.Detail);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await _client.PostAsync("/api/environments", new StringContent("name=Staging", Encoding.UTF8, "text/plain"));

        await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("/api/no-such-thing")]
    [InlineData("/api/environments/abc")]
    [InlineData("/api/environments/999999")]
    [InlineData("/api/deployments/999999/log")]
    [InlineData("/api/machines/999999/releases")]
    [InlineData("/api/health-checks/999999/log")]
    public async Task An_unknown_address_or_id_is_404(string path)
    {
        var response = await _client.GetAsync(path);

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_method_the_address_does_not_take_is_405()
    {
        var response = await _client.DeleteAsync("/api/events");

        var problem = await ProblemAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal("DELETE is not allowed on /api/events.", problem.Detail);
    }

    [Theory]
    [InlineData("/api/events?take=0", "take")]
    [InlineData("/api/events?take=100000000", "take")]
    [InlineData("/api/events?after=-1", "after")]
    [InlineData("/api/machines?take=-1", "take")]
    [InlineData("/api/machines?skip=-1", "skip")]
    [InlineData("/api/deployments?take=0", "take")]
    [InlineData("/api/deployments?take=100000000", "take")]
    [InlineData("/api/deployments?before=-1", "before")]
    [InlineData("/api/deployments/1/log?take=0", "take")]
    [InlineData("/api/deployments/1/log?take=100000000", "take")]
    [InlineData("/api/health-checks/1/log?after=-1", "after")]
    public async Task A_page_out_of_range_is_400_naming_the_parameter(string path, string parameter)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal([parameter], problem!.Errors.Keys);
    }

    [Fact]
    public async Task A_failure_of_the_server_is_a_500_problem_without_the_exception()
    {
        await using var broken = new AutoDeployAppFactory();
        var client = broken.CreateApiClient();
        await using (var db = await broken.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal("EnrolmentTokens", db.Model.FindEntityType(typeof(EnrolmentToken))!.GetTableName());
            // PostgreSQL refuses to drop a table another one's foreign key points at, unless the constraint goes too.
            await db.Database.ExecuteSqlRawAsync(AppDatabase.IsPostgres ? "DROP TABLE \"EnrolmentTokens\" CASCADE" : "DROP TABLE \"EnrolmentTokens\"");
        }

        var response = await client.GetAsync("/api/enrolment-tokens");

        var problem = await ProblemAsync(response, HttpStatusCode.InternalServerError);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(" at ", body);
        Assert.Contains("log", problem.Detail);
    }

    [Fact]
    public async Task An_unknown_page_in_the_browser_is_the_apps_not_found_page_with_404()
    {
        var browser = app.CreateClient();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var response = await browser.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is no page at this address", await response.Content.ReadAsStringAsync());
    }

    private static async Task<ProblemDetails> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ProblemResponses.ProblemAsync<ProblemDetails>(response, status);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        return problem;
    }
}
