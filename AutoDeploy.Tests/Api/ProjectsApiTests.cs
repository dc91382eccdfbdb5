using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

[Trait("Database", "App")]
public sealed class ProjectsApiTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _client = app.CreateApiClient();

    [Fact]
    public async Task Post_creates_a_project_201_and_get_returns_it_with_sensitive_values_masked()
    {
        var name = Unique("Shop");

        var response = await _client.PostAsJsonAsync("/api/projects", ProjectBody(name, secret: "s3cret"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/projects/{created.GetProperty("id").GetInt32()}", response.Headers.Location!.ToString());
        var read = await _client.GetStringAsync(response.Headers.Location);
        Assert.Contains("\"value\":\"********\"", read);
        Assert.DoesNotContain("s3cret", read);
        Assert.Contains("\"timeout\":\"00:05:00\"", read);
    }

    [Fact]
    public async Task Post_invalid_input_is_400_with_every_message()
    {
        var body = new
        {
            name = "",
            steps = new[] { new { name = "Migrate", roles = Array.Empty<string>(), script = "" } },
            variables = new[] { new { name = "AUTODEPLOY_X", value = "1" } },
        };

        var response = await _client.PostAsJsonAsync("/api/projects", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["name", "steps[0].roles", "steps[0].script", "variables[0].name"],
            errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Step 1 'Migrate': choose at least one role.", errors.GetProperty("steps[0].roles")[0].GetString());
    }

    [Fact]
    public async Task Post_with_a_name_taken_is_409()
    {
        var name = Unique("Shop");
        await _client.PostAsJsonAsync("/api/projects", new { name });

        var response = await _client.PostAsJsonAsync("/api/projects", new { name = name.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Get_of_a_missing_project_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/projects/987654")).StatusCode);

    [Fact]
    public async Task Put_of_what_get_returned_keeps_the_sensitive_value_and_bumps_the_version()
    {
        var created = await CreateAsync(ProjectBody(Unique("Shop"), secret: "s3cret"));
        var id = created.GetProperty("id").GetInt32();
        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(await _client.GetStringAsync($"/api/projects/{id}"))!;
        body["description"] = "Changed";

        var response = await _client.PutAsJsonAsync($"/api/projects/{id}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created.GetProperty("version").GetInt32() + 1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        Assert.Equal("s3cret", await StoredValueAsync(id));
    }

    [Fact]
    public async Task Put_with_a_version_that_is_no_longer_current_is_409()
    {
        var created = await CreateAsync(ProjectBody(Unique("Shop"), secret: "x"));
        var id = created.GetProperty("id").GetInt32();
        var name = created.GetProperty("name").GetString();
        await _client.PutAsJsonAsync($"/api/projects/{id}", new { name, description = "first" });

        var response = await _client.PutAsJsonAsync($"/api/projects/{id}", new { name, description = "second", version = created.GetProperty("version").GetInt32() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Delete_is_204_and_then_the_project_is_gone()
    {
        var id = (await CreateAsync(new { name = Unique("Shop") })).GetProperty("id").GetInt32();

        var response = await _client.DeleteAsync($"/api/projects/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/projects/{id}")).StatusCode);
    }

    [Fact]
    public async Task Disable_turns_the_project_off()
    {
        var id = (await CreateAsync(new { name = Unique("Shop") })).GetProperty("id").GetInt32();

        var response = await _client.PostAsync($"/api/projects/{id}/disable", null);

        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isEnabled").GetBoolean());
    }

    [Theory]
    [InlineData("GET", "/api/projects")]
    [InlineData("POST", "/api/projects")]
    public async Task Without_an_api_key_it_is_401(string method, string path)
    {
        var response = await app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x" }) });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..20];

    private static object ProjectBody(string name, string secret) => new
    {
        name,
        steps = new[] { new { name = "Deploy", roles = new[] { "web" }, script = "echo hi", timeout = "00:05:00" } },
        variables = new[] { new { name = "DB_PASSWORD", value = secret, isSensitive = true } },
        connectivity = new { skipUnavailableMachines = true, skipUnavailableRoles = new[] { "web" } },
    };

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await _client.PostAsJsonAsync("/api/projects", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string> StoredValueAsync(int projectId)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var stored = (await db.Projects.SingleAsync(p => p.Id == projectId)).Variables.Single().Value;
        return app.Services.GetRequiredService<SecretProtector>().Reveal(stored);
    }
}
