using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

[Trait("Database", "App")]
public sealed class MachinePoliciesApiTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _client = app.CreateApiClient();

    [Fact]
    public async Task Post_creates_a_policy_201_and_get_returns_durations_as_d_hh_mm_ss()
    {
        var name = Unique("Elastic");

        var response = await _client.PostAsJsonAsync("/api/machine-policies", new
        {
            name,
            healthCheckInterval = "00:02:00",
            healthCheckType = "RunScript",
            healthCheckScript = "df -h",
            cleanupBehavior = "DeleteUnavailableMachines",
            deleteUnavailableAfter = "1.00:00:00",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var read = await _client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal(("00:02:00", "1.00:00:00", "RunScript", false),
            (read.GetProperty("healthCheckInterval").GetString(), read.GetProperty("deleteUnavailableAfter").GetString(),
             read.GetProperty("healthCheckType").GetString(), read.GetProperty("isDefault").GetBoolean()));
    }

    [Fact]
    public async Task A_policy_says_how_many_package_versions_its_machines_keep()
    {
        var refused = await _client.PostAsJsonAsync("/api/machine-policies", new { name = Unique("Keep"), packageVersionsToKeep = 0 });
        var created = await _client.PostAsJsonAsync("/api/machine-policies", new { name = Unique("Keep"), packageVersionsToKeep = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("Keep between 1 and 100 versions of each package.", (await ErrorsAsync(refused))["packageVersionsToKeep"]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var policy = await _client.GetFromJsonAsync<JsonElement>(created.Headers.Location);
        Assert.Equal(5, policy.GetProperty("packageVersionsToKeep").GetInt32());
    }

    [Fact]
    public async Task Post_invalid_input_is_400_with_every_message()
    {
        var body = new { name = "", healthCheckInterval = "00:00:30", healthCheckType = "RunScript", deleteUnavailableAfter = "-00:01:00" };

        var response = await _client.PostAsJsonAsync("/api/machine-policies", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsAsync(response);
        Assert.Equal(["deleteUnavailableAfter", "healthCheckInterval", "healthCheckScript", "name"], errors.Keys.Order());
        Assert.Equal("The health check interval must be between 1 minute and 7 days.", errors["healthCheckInterval"]);
        Assert.Equal("A RunScript health check needs a script.", errors["healthCheckScript"]);
    }

    [Fact]
    public async Task Post_with_an_unreadable_duration_and_an_unknown_enum_is_400_naming_both_and_the_other_problems()
    {
        var body = new { name = "", healthCheckInterval = "5 minutes", cleanupBehavior = "Sometimes" };

        var response = await _client.PostAsJsonAsync("/api/machine-policies", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsAsync(response);
        Assert.Equal(["cleanupBehavior", "healthCheckInterval", "name"], errors.Keys.Order());
        Assert.Equal("The health check interval must be a duration \"d.hh:mm:ss\", such as \"00:05:00\" or \"1.00:00:00\"; '5 minutes' is not one.",
            errors["healthCheckInterval"]);
        Assert.Equal("The clean-up behavior must be one of: DoNotDelete, DeleteUnavailableMachines.", errors["cleanupBehavior"]);
    }

    [Fact]
    public async Task Post_with_a_name_taken_is_409()
    {
        var name = Unique("Elastic");
        await _client.PostAsJsonAsync("/api/machine-policies", new { name });

        var response = await _client.PostAsJsonAsync("/api/machine-policies", new { name = name.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Get_of_a_missing_policy_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/machine-policies/987654")).StatusCode);

    [Fact]
    public async Task Put_of_what_get_returned_saves_the_change_and_bumps_the_version()
    {
        var created = await CreateAsync(new { name = Unique("Elastic") });
        var id = created.GetProperty("id").GetInt32();
        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(await _client.GetStringAsync($"/api/machine-policies/{id}"))!;
        body["connectivityBehavior"] = "MayBeOfflineAndCanBeSkipped";

        var response = await _client.PutAsJsonAsync($"/api/machine-policies/{id}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var saved = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("MayBeOfflineAndCanBeSkipped", created.GetProperty("version").GetInt32() + 1),
            (saved.GetProperty("connectivityBehavior").GetString(), saved.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Put_with_a_version_that_is_no_longer_current_is_409()
    {
        var created = await CreateAsync(new { name = Unique("Elastic") });
        var id = created.GetProperty("id").GetInt32();
        var name = created.GetProperty("name").GetString();
        await _client.PutAsJsonAsync($"/api/machine-policies/{id}", new { name, description = "first" });

        var response = await _client.PutAsJsonAsync($"/api/machine-policies/{id}",
            new { name, description = "second", version = created.GetProperty("version").GetInt32() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Delete_of_an_unused_policy_is_204_and_then_it_is_gone()
    {
        var id = (await CreateAsync(new { name = Unique("Elastic") })).GetProperty("id").GetInt32();

        var response = await _client.DeleteAsync($"/api/machine-policies/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/machine-policies/{id}")).StatusCode);
    }

    [Fact]
    public async Task Delete_of_a_policy_in_use_is_409_naming_the_machine()
    {
        var id = (await CreateAsync(new { name = Unique("Elastic") })).GetProperty("id").GetInt32();
        var machine = Unique("web");
        await AddMachineAsync(id, machine);

        var response = await _client.DeleteAsync($"/api/machine-policies/{id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"is used by {machine}; move them to another policy first.",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Delete_of_the_default_policy_is_409()
    {
        var policies = await _client.GetFromJsonAsync<JsonElement>("/api/machine-policies");
        var defaultId = policies.EnumerateArray().Single(p => p.GetProperty("isDefault").GetBoolean()).GetProperty("id").GetInt32();

        var response = await _client.DeleteAsync($"/api/machine-policies/{defaultId}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("The default machine policy cannot be deleted.",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Make_default_leaves_exactly_that_policy_default()
    {
        var id = (await CreateAsync(new { name = Unique("Elastic") })).GetProperty("id").GetInt32();

        var response = await _client.PostAsync($"/api/machine-policies/{id}/make-default", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policies = await _client.GetFromJsonAsync<JsonElement>("/api/machine-policies");
        Assert.Equal([id], policies.EnumerateArray().Where(p => p.GetProperty("isDefault").GetBoolean()).Select(p => p.GetProperty("id").GetInt32()));
    }

    [Theory]
    [InlineData("GET", "/api/machine-policies")]
    [InlineData("POST", "/api/machine-policies")]
    [InlineData("DELETE", "/api/machine-policies/1")]
    public async Task Without_an_api_key_it_is_401(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x" }) };

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..20];

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString())));

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await _client.PostAsJsonAsync("/api/machine-policies", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Registers a machine on the policy straight in the database: the machines API is not this test's subject.</summary>
    private async Task AddMachineAsync(int policyId, string name)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var policy = await db.MachinePolicies.SingleAsync(p => p.Id == policyId);
        db.Machines.Add(Machine.Register(name, [], [], policy, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }
}
