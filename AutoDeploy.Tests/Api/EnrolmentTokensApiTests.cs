using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// <c>/api/enrolment-tokens</c> and registering with a token, over real HTTP. Its subject is the API; tokens used
/// concurrently on PostgreSQL are PostgresTokenRegistrationTests', so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class EnrolmentTokensApiTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _client = null!;
    private IDbContextFactory<AutoDeployDbContext> _database = null!;
    private int _production;
    private int _policy;

    public async Task InitializeAsync()
    {
        _client = _app.CreateApiClient();
        _database = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        _production = (await _database.AddEnvironmentAsync("Production")).Id;
        await _database.AddEnvironmentAsync("Test");
        await using var db = await _database.CreateDbContextAsync();
        _policy = await db.MachinePolicies.Where(p => p.IsDefault).Select(p => p.Id).SingleAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Post_answers_201_with_the_secret_once_and_get_never_shows_it()
    {
        var response = await CreateAsync("web fleet", maxUses: 3);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<NewEnrolmentToken>(Json))!;
        Assert.Equal($"/api/enrolment-tokens/{created.Token.Id}", response.Headers.Location!.OriginalString);
        Assert.StartsWith("ENROL-", created.Secret);
        var list = await _client.GetStringAsync("/api/enrolment-tokens");
        var one = await _client.GetStringAsync($"/api/enrolment-tokens/{created.Token.Id}");
        Assert.DoesNotContain(created.Secret, list + one);
        var token = JsonSerializer.Deserialize<EnrolmentTokenSummary>(one, Json)!;
        Assert.Equal(("web fleet", created.Secret[..10], 3, 0, EnrolmentTokenState.Active), (token.Name, token.Hint, token.MaxUses, token.Uses, token.State));
        Assert.Equal(["Production"], token.Environments.Select(e => e.Name));
        Assert.Equal(["web"], token.Roles);
        Assert.Equal([MachinePolicy.DefaultName], token.Policies.Select(p => p.Name));
    }

    [Fact]
    public async Task Post_with_invalid_fields_answers_400_with_every_message()
    {
        var response = await _client.PostAsJsonAsync("/api/enrolment-tokens",
            new { name = "", environmentIds = Array.Empty<int>(), roles = new[] { "Web" }, policyIds = Array.Empty<int>(), maxUses = 0 });

        var problem = await ProblemAsync<ValidationProblemDetails>(response, HttpStatusCode.BadRequest);
        Assert.Equal(["environmentIds", "maxUses", "name", "policyIds", "roles"], problem.Errors.Keys.Order());
    }

    [Fact]
    public async Task Post_with_a_duration_that_is_not_one_answers_400_beside_validFor()
    {
        var response = await _client.PostAsJsonAsync("/api/enrolment-tokens",
            new { name = "web fleet", environmentIds = new[] { _production }, policyIds = new[] { _policy }, validFor = "a week" });

        var problem = await ProblemAsync<ValidationProblemDetails>(response, HttpStatusCode.BadRequest);
        Assert.Equal(["validFor must be a duration \"d.hh:mm:ss\", such as \"7.00:00:00\" for a week; 'a week' is not one."], problem.Errors["validFor"]);
    }

    [Fact]
    public async Task A_NUL_character_is_refused_with_400_on_either_database_rather_than_stored_on_one_and_failing_on_the_other()
    {
        var secret = await SecretAsync("web fleet");

        var create = await _client.PostAsJsonAsync("/api/enrolment-tokens",
            new { name = "web\0fleet", environmentIds = new[] { _production }, policyIds = new[] { _policy } });
        var register = await RegisterAsync(secret, "web\001", "Prod\0uction");

        Assert.Equal(["Name cannot contain the NUL character."], (await ProblemAsync<ValidationProblemDetails>(create, HttpStatusCode.BadRequest)).Errors["name"]);
        var errors = (await ProblemAsync<ValidationProblemDetails>(register, HttpStatusCode.BadRequest)).Errors;
        Assert.Equal(["Name cannot contain the NUL character."], errors["name"]);
        Assert.Equal(["An environment name cannot contain the NUL character."], errors["environments[0]"]);
    }

    [Fact]
    public async Task Get_of_a_token_that_does_not_exist_answers_404_problem()
    {
        var problem = await ProblemAsync<ProblemDetails>(await _client.GetAsync("/api/enrolment-tokens/42"), HttpStatusCode.NotFound);

        Assert.Equal("Enrolment token 42 does not exist.", problem.Detail);
    }

    [Fact]
    public async Task A_viewer_neither_lists_nor_creates_tokens()
    {
        var viewer = await _app.CreateViewerClientAsync();

        var list = await viewer.GetAsync("/api/enrolment-tokens");
        var create = await viewer.PostAsJsonAsync("/api/enrolment-tokens", new { name = "mine", environmentIds = new[] { _production }, policyIds = new[] { _policy } });

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (list.StatusCode, create.StatusCode));
    }

    [Fact]
    public async Task A_machine_registers_with_a_token_alone_and_the_use_is_shown()
    {
        var secret = await SecretAsync("web fleet");

        var response = await RegisterAsync(secret, "web-01", "Production");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var registration = (await response.Content.ReadFromJsonAsync<RegistrationResponse>(Json))!;
        var token = (await _client.GetFromJsonAsync<List<EnrolmentTokenSummary>>("/api/enrolment-tokens", Json))!.Single();
        Assert.Equal((1, "web-01"), (token.Uses, token.LastUsedBy));
        Assert.NotNull(token.LastUsedAt);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/machines/{registration.MachineId}")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_token_answers_401_problem_saying_it_is_not_a_valid_enrolment_token()
    {
        var problem = await ProblemAsync<ProblemDetails>(await RegisterAsync("ENROL-WRONG", "web-01", "Production"), HttpStatusCode.Unauthorized);

        Assert.Equal("That is not a valid enrolment token.", problem.Detail);
    }

    [Fact]
    public async Task A_revoked_token_answers_401_problem_with_the_reason()
    {
        var response = await CreateAsync("web fleet");
        var created = (await response.Content.ReadFromJsonAsync<NewEnrolmentToken>(Json))!;

        var revoke = await _client.PostAsync($"/api/enrolment-tokens/{created.Token.Id}/revoke", null);
        var problem = await ProblemAsync<ProblemDetails>(await RegisterAsync(created.Secret, "web-01", "Production"), HttpStatusCode.Unauthorized);

        var revoked = (await revoke.Content.ReadFromJsonAsync<EnrolmentTokenSummary>(Json))!;
        Assert.Equal((HttpStatusCode.OK, EnrolmentTokenState.Revoked), (revoke.StatusCode, revoked.State));
        Assert.Equal($"The enrolment token 'web fleet' was revoked at {revoked.RevokedAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC.", problem.Detail);
    }

    [Fact]
    public async Task A_used_up_token_answers_401_problem_with_its_uses()
    {
        var secret = await SecretAsync("web fleet", maxUses: 1);
        await RegisterAsync(secret, "web-01", "Production");

        var problem = await ProblemAsync<ProblemDetails>(await RegisterAsync(secret, "web-02", "Production"), HttpStatusCode.Unauthorized);

        Assert.Equal("The enrolment token 'web fleet' has been used 1 time, all it allows.", problem.Detail);
    }

    [Fact]
    public async Task A_registration_outside_the_token_s_scope_answers_403_problem_saying_why()
    {
        var secret = await SecretAsync("web fleet");

        var environment = await ProblemAsync<ProblemDetails>(await RegisterAsync(secret, "web-01", "Test"), HttpStatusCode.Forbidden);
        var role = await ProblemAsync<ProblemDetails>(await RegisterAsync(secret, "web-01", "Production", "db"), HttpStatusCode.Forbidden);

        Assert.Equal("The enrolment token 'web fleet' does not allow environment 'Test'; it allows Production.", environment.Detail);
        Assert.Equal("The enrolment token 'web fleet' does not allow role 'db'; it allows web.", role.Detail);
    }

    [Fact]
    public async Task Registering_without_a_token_or_key_answers_401_problem_naming_both()
    {
        var response = await _app.CreateClient().PostAsJsonAsync("/api/machines/register", new { name = "web-01", environments = new[] { "Production" } });

        var problem = await ProblemAsync<ProblemDetails>(response, HttpStatusCode.Unauthorized);
        Assert.Contains("X-Enrolment-Token", problem.Detail);
    }

    [Fact]
    public async Task Creating_using_and_revoking_a_token_are_events_in_the_event_log()
    {
        var response = await CreateAsync("web fleet");
        var created = (await response.Content.ReadFromJsonAsync<NewEnrolmentToken>(Json))!;
        await RegisterAsync(created.Secret, "web-01", "Production");
        await _client.PostAsync($"/api/enrolment-tokens/{created.Token.Id}/revoke", null);

        await using var db = await _database.CreateDbContextAsync();
        var events = await db.Events.Where(e => e.DocumentType == "EnrolmentToken" && e.DocumentId == created.Token.Id)
            .OrderBy(e => e.Id).Select(e => new { e.Category, e.Actor }).ToListAsync();
        Assert.Equal([EventCategories.EnrolmentTokenCreated, EventCategories.EnrolmentTokenUsed, EventCategories.EnrolmentTokenRevoked],
            events.Select(e => e.Category));
        Assert.Equal("enrolment token 'web fleet'", events[1].Actor);
    }

    [Fact]
    public async Task The_openapi_document_declares_the_token_calls_and_the_registration_s_refusals()
    {
        var document = await _client.GetStringAsync("/openapi/v1.json");

        using var json = JsonDocument.Parse(document);
        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/enrolment-tokens", out _));
        Assert.True(paths.TryGetProperty("/api/enrolment-tokens/{id}/revoke", out _));
        var register = paths.GetProperty("/api/machines/register").GetProperty("post").GetProperty("responses");
        Assert.Equal(["201", "400", "401", "403", "409", "413", "429"], register.EnumerateObject().Select(r => r.Name).Order());
    }

    private Task<HttpResponseMessage> CreateAsync(string name, int? maxUses = null) =>
        _client.PostAsJsonAsync("/api/enrolment-tokens",
            new { name, environmentIds = new[] { _production }, roles = new[] { "web" }, policyIds = new[] { _policy }, maxUses });

    private async Task<string> SecretAsync(string name, int? maxUses = null) =>
        (await (await CreateAsync(name, maxUses)).Content.ReadFromJsonAsync<NewEnrolmentToken>(Json))!.Secret;

    private Task<HttpResponseMessage> RegisterAsync(string secret, string name, string environment, string role = "web")
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Enrolment-Token", secret);
        return client.PostAsJsonAsync("/api/machines/register", new { name, environments = new[] { environment }, roles = new[] { role }, agentVersion = "1.0.0" });
    }
}
