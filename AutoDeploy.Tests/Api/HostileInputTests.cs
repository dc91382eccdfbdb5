using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// The same hostile inputs on SQLite and on PostgreSQL (the PostgreSQL pass runs this class again): every one is a 400
/// naming the field, never stored on one database and a 500 on the other. Limits live in validation, not column types.
/// </summary>
[Trait("Database", "App")]
public sealed class HostileInputTests : IAsyncLifetime
{
    private const string Nul = "a\0b";
    private static readonly string TooLong = new('x', 10_001);

    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _api = null!;
    private int _environmentId;
    private string _environmentName = null!;
    private int _projectId;
    private int _machineId;
    private string _agentToken = null!;

    public async Task InitializeAsync()
    {
        _api = _app.CreateApiClient();
        _environmentName = $"Production-{Guid.NewGuid():N}"[..20];
        var environment = await PostAsync<IdOnly>("/api/environments", new { name = _environmentName });
        _environmentId = environment.Id;
        _projectId = (await PostAsync<IdOnly>("/api/projects", Project())).Id;
        (_machineId, _agentToken) = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()
            .AddAsync("web-01", [_environmentId], ["web"]);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_hostile_input_is_a_400_naming_its_field()
    {
        var cases = new (string Method, string Path, object Body, string Field)[]
        {
            ("POST", "/api/environments", new { name = Nul }, "name"),
            ("POST", "/api/environments", new { name = TooLong }, "name"),
            ("POST", "/api/environments", new { name = Unique(), description = Nul }, "description"),
            ("POST", "/api/environments", new { name = Unique(), description = TooLong }, "description"),
            ("POST", "/api/projects", Project(description: Nul), "description"),
            ("POST", "/api/projects", Project(stepName: Nul), "steps[0].name"),
            ("POST", "/api/projects", Project(script: "echo " + Nul), "steps[0].script"),
            ("POST", "/api/projects", Project(variableValue: Nul), "variables[0].value"),
            ("POST", "/api/projects", Project(variableValue: new string('v', 70_000)), "variables[0].value"),
            ("POST", $"/api/projects/{_projectId}/releases", new { version = "1.0.0-" + new string('a', 95) }, "version"),
            ("POST", $"/api/projects/{_projectId}/releases", new { version = "1.0.0-" + new string('a', 10_000) }, "version"),
            ("POST", $"/api/projects/{_projectId}/releases", new { version = "1.0.0", notes = Nul }, "notes"),
            ("POST", "/api/machine-policies", new { name = Unique(), description = Nul }, "description"),
            ("POST", "/api/machine-policies", new { name = Unique(), healthCheckType = "RunScript", healthCheckScript = Nul }, "healthCheckScript"),
            ("POST", $"/api/projects/{_projectId}/triggers", new { name = Unique(), description = Nul, environmentIds = new[] { _environmentId } }, "description"),
            ("PUT", $"/api/machines/{_machineId}", new { name = Nul, environmentIds = new[] { _environmentId } }, "name"),
            ("POST", "/api/machines/register", new { name = Unique(), environments = new[] { _environmentName }, agentVersion = new string('9', 51) }, "agentVersion"),
            ("POST", "/api/enrolment-tokens", new { name = Nul, environmentIds = new[] { _environmentId }, policyIds = new[] { 1 } }, "name"),
        };
        var wrong = new List<string>();
        foreach (var (method, path, body, field) in cases)
        {
            using var response = await _api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(body) });
            var problem = response.StatusCode == HttpStatusCode.BadRequest ? await response.Content.ReadFromJsonAsync<ValidationProblemDetails>() : null;
            if (problem is null || !problem.Errors.ContainsKey(field))
            {
                wrong.Add($"{method} {path} ({field}): {(int)response.StatusCode} {string.Join(", ", problem?.Errors.Keys ?? [])}");
            }
        }

        Assert.True(wrong.Count == 0, "Not a 400 naming the field:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task An_agent_version_past_its_limit_is_a_400_on_the_poll()
    {
        var response = await new ProtocolAgent(_app.CreateClient(), _agentToken)
            .SendAsync(HttpMethod.Post, "/api/agent/poll", new PollRequest(new string('9', 51)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal(["agentVersion"], problem!.Errors.Keys);
    }

    private object Project(string? description = null, string stepName = "Install", string script = "echo hi", string variableValue = "v") => new
    {
        name = Unique(),
        description,
        steps = new[] { new { name = stepName, roles = new[] { "web" }, script, timeout = "00:10:00" } },
        variables = new[] { new { name = "GREETING", value = variableValue } },
    };

    private static string Unique() => $"hostile-{Guid.NewGuid():N}";

    private async Task<T> PostAsync<T>(string path, object body)
    {
        var response = await _api.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private sealed record IdOnly(int Id);
}
