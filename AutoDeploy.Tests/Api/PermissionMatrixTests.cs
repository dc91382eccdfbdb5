using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AutoDeploy.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// Every endpoint of the REST API × five callers with scoped role assignments: a Viewer of project A, an unscoped Viewer,
/// a Deployer for Test, a Project editor of A, and the administrator. Each row says per caller whether the call is allowed
/// (O: any answer but 401, 403 and 404), forbidden (F: 403 problem details) or hidden (H: 404, the thing is out of sight).
/// The endpoints come from the app's endpoint data source, so a new endpoint without a row fails the test.
/// </summary>
[Trait("Database", "App")]
public sealed partial class PermissionMatrixTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private static readonly string[] Callers = ["Viewer of A", "Viewer", "Deployer for Test", "Project editor of A", "Administrator"];

    /// <summary>Endpoints no user role opens, and why.</summary>
    private static readonly Dictionary<string, string> NotForUsers = new()
    {
        ["POST /api/agent/poll"] = "an agent's bearer token",
        ["POST /api/agent/update-failed"] = "an agent's bearer token",
        ["POST /api/agent/jobs/{}/log"] = "an agent's bearer token",
        ["POST /api/agent/jobs/{}/complete"] = "an agent's bearer token",
        ["GET /api/agent/readiness"] = "an agent's bearer token",
        ["GET /api/agent/packages/{}/{}"] = "an agent's bearer token",
        ["DELETE /api/agent/registration"] = "an agent's bearer token",
        ["GET /api/agent-binaries"] = "anonymous: what install.sh downloads",
    };

    private readonly HttpClient _admin = app.CreateApiClient();
    private World _w = null!;
    private int _counter;

    [Fact]
    public async Task Every_endpoint_answers_each_role_as_its_assignments_allow()
    {
        _w = await WorldAsync();
        var rows = Rows();
        var callers = new[] { _w.ViewerOfA, _w.Viewer, _w.DeployerForTest, _w.EditorOfA, _admin };
        var wrong = new List<string>();

        foreach (var row in rows)
        {
            for (var i = 0; i < callers.Length; i++)
            {
                using var request = await row.Request(callers[i]);
                using var response = await callers[i].SendAsync(request);
                if (Judge(response, row.Expect[i]) is { } problem)
                {
                    wrong.Add($"{row.Name} ({row.Case}) as {Callers[i]}: {problem} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_endpoint_of_the_api_has_a_row_or_a_reason()
    {
        var covered = Rows().Select(r => r.Name).Concat(NotForUsers.Keys).ToHashSet();

        var missing = ServedCalls().Where(call => !covered.Contains(call)).ToList();
        var stale = covered.Where(call => !ServedCalls().Contains(call)).ToList();

        Assert.True(missing.Count == 0, "No row in the permission matrix for: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rows for endpoints that do not exist: " + string.Join(", ", stale));
    }

    private static string? Judge(HttpResponseMessage response, char expected)
    {
        var status = (int)response.StatusCode;
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        return expected switch
        {
            'O' when status is 401 or 403 or 404 or >= 500 => $"expected allowed, got {status}",
            'F' when status != 403 || !problem => $"expected 403 problem details, got {status}",
            'H' when status != 404 || !problem => $"expected 404 problem details, got {status}",
            _ => null,
        };
    }

    /// <summary>"GET /api/machines/{}" for each endpoint under /api, route values' names and constraints dropped.</summary>
    private HashSet<string> ServedCalls() => app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Select(e => (Path: "/" + Parameter().Replace(e.RoutePattern.RawText!.Trim('/'), "{}"),
            Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
        .Where(e => e.Path.StartsWith("/api/", StringComparison.Ordinal) && !e.Path.StartsWith("/api/openapi", StringComparison.Ordinal))
        .SelectMany(e => e.Methods.Select(m => $"{m} {e.Path}"))
        .ToHashSet();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();

    private sealed record Row(string Name, string Case, string Expect, Func<HttpClient, Task<HttpRequestMessage>> Request);

    private static Row R(string name, string expect, Func<HttpRequestMessage> request, string @case = "") =>
        new(name, @case, expect, _ => Task.FromResult(request()));

    private static Row R(string name, string expect, Func<Task<HttpRequestMessage>> request, string @case = "") =>
        new(name, @case, expect, _ => request());

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);
    private static HttpRequestMessage Delete(string path) => new(HttpMethod.Delete, path);
    private static HttpRequestMessage Post(string path, object? body = null) => Send(HttpMethod.Post, path, body);
    private static HttpRequestMessage Put(string path, object body) => Send(HttpMethod.Put, path, body);

    private static HttpRequestMessage Send(HttpMethod method, string path, object? body) =>
        new(method, path) { Content = body is null ? null : JsonContent.Create(body) };

    private string Unique(string name) => $"{name}-{Interlocked.Increment(ref _counter)}";

    // Order matters where a row changes what later rows use: disable comes before enable.
    // Columns: Viewer of A, Viewer, Deployer for Test, Project editor of A, Administrator.
    private List<Row> Rows() =>
    [
        R("GET /api/environments", "OOOOO", () => Get("/api/environments")),
        R("GET /api/environments/{}", "OOHOO", () => Get($"/api/environments/{_w.Production}"), "Production"),
        R("POST /api/environments", "FFFFO", () => Post("/api/environments", new { name = Unique("env") })),
        R("PUT /api/environments/{}", "FFFFO", async () => Put($"/api/environments/{await NewEnvironmentAsync()}", new { name = Unique("env") })),
        R("DELETE /api/environments/{}", "FFFFO", async () => Delete($"/api/environments/{await NewEnvironmentAsync()}")),
        R("POST /api/environments/{}/health-check", "FFFFO", () => Post($"/api/environments/{_w.Test}/health-check")),

        R("GET /api/machine-policies", "OOOOO", () => Get("/api/machine-policies")),
        R("GET /api/machine-policies/{}", "OOOOO", () => Get($"/api/machine-policies/{_w.DefaultPolicy}")),
        R("POST /api/machine-policies", "FFFFO", () => Post("/api/machine-policies", new { name = Unique("policy") })),
        R("PUT /api/machine-policies/{}", "FFFFO", async () => Put($"/api/machine-policies/{await NewPolicyAsync()}", new { name = Unique("policy") })),
        R("DELETE /api/machine-policies/{}", "FFFFO", async () => Delete($"/api/machine-policies/{await NewPolicyAsync()}")),
        R("POST /api/machine-policies/{}/make-default", "FFFFO", () => Post($"/api/machine-policies/{_w.DefaultPolicy}/make-default")),

        R("GET /api/enrolment-tokens", "FFFFO", () => Get("/api/enrolment-tokens")),
        R("GET /api/enrolment-tokens/{}", "FFFFO", async () => Get($"/api/enrolment-tokens/{await NewTokenAsync()}")),
        R("POST /api/enrolment-tokens", "FFFFO", () => Post("/api/enrolment-tokens", new { name = Unique("token"), environmentIds = new[] { _w.Test }, roles = new[] { "web" }, policyIds = new[] { _w.DefaultPolicy } })),
        R("POST /api/enrolment-tokens/{}/revoke", "FFFFO", async () => Post($"/api/enrolment-tokens/{await NewTokenAsync()}/revoke")),

        R("POST /api/machines/register", "FFFFO", () => Post("/api/machines/register", Registration(Unique("m")))),
        R("GET /api/machines", "OOOOO", () => Get("/api/machines")),
        R("GET /api/machines/{}", "OOOOO", () => Get($"/api/machines/{_w.Machine}")),
        R("GET /api/machines/{}/readiness", "OOOOO", () => Get($"/api/machines/{_w.Machine}/readiness")),
        R("GET /api/machines/{}/releases", "OOOOO", () => Get($"/api/machines/{_w.Machine}/releases")),
        R("GET /api/machines/{}/decisions", "OOOOO", () => Get($"/api/machines/{_w.Machine}/decisions")),
        R("PUT /api/machines/{}", "FFFFO", () => Put($"/api/machines/{_w.Machine}",
            new { name = "matrix-01", environmentIds = new[] { _w.Test, _w.Production }, roles = new[] { "web" } })),
        R("POST /api/machines/{}/disable", "FFFFO", () => Post($"/api/machines/{_w.Machine}/disable")),
        R("POST /api/machines/{}/enable", "FFFFO", () => Post($"/api/machines/{_w.Machine}/enable")),
        R("POST /api/machines/{}/health-check", "FFFFO", () => Post($"/api/machines/{_w.Machine}/health-check")),
        R("DELETE /api/machines/{}", "FFFFO", async () => Delete($"/api/machines/{await NewMachineAsync()}")),

        R("GET /api/projects", "OOOOO", () => Get("/api/projects")),
        R("GET /api/projects/{}", "OOOOO", () => Get($"/api/projects/{_w.A}"), "A"),
        R("GET /api/projects/{}", "HOOHO", () => Get($"/api/projects/{_w.B}"), "B"),
        R("POST /api/projects", "FFFFO", () => Post("/api/projects", new { name = Unique("project") })),
        R("PUT /api/projects/{}", "FFFOO", () => Put($"/api/projects/{_w.A}", ProjectBody("A")), "A"),
        R("PUT /api/projects/{}", "FFFHO", () => Put($"/api/projects/{_w.B}", ProjectBody("B")), "B"),
        R("POST /api/projects/{}/disable", "FFFOO", () => Post($"/api/projects/{_w.A}/disable")),
        R("POST /api/projects/{}/enable", "FFFOO", () => Post($"/api/projects/{_w.A}/enable")),
        R("POST /api/projects/{}/archive", "FFFOO", () => Post($"/api/projects/{_w.A}/archive"), "A (409 while a deployment runs)"),
        R("POST /api/projects/{}/restore", "FFFOO", () => Post($"/api/projects/{_w.A}/restore"), "A"),
        R("POST /api/projects/{}/archive", "FFFHO", async () => Post($"/api/projects/{await NewProjectAsync()}/archive"), "not A"),
        R("DELETE /api/projects/{}", "FFFHO", async () => Delete($"/api/projects/{await NewProjectAsync()}"), "not A"),

        R("GET /api/projects/{}/releases", "OOOOO", () => Get($"/api/projects/{_w.A}/releases"), "A"),
        R("GET /api/projects/{}/releases", "HOOHO", () => Get($"/api/projects/{_w.B}/releases"), "B"),
        R("POST /api/projects/{}/releases", "FFFOO", () => Post($"/api/projects/{_w.A}/releases", new { version = $"2.0.{_counter++}" }), "A"),
        R("POST /api/projects/{}/releases", "FFFHO", () => Post($"/api/projects/{_w.B}/releases", new { version = $"2.0.{_counter++}" }), "B"),
        R("GET /api/releases/{}", "OOOOO", () => Get($"/api/releases/{_w.ReleaseA}"), "A"),
        R("GET /api/releases/{}", "HOOHO", () => Get($"/api/releases/{_w.ReleaseB}"), "B"),

        R("GET /api/projects/{}/triggers", "OOOOO", () => Get($"/api/projects/{_w.A}/triggers")),
        R("POST /api/projects/{}/triggers", "FFFOO", () => Post($"/api/projects/{_w.A}/triggers", TriggerBody(Unique("t")))),
        R("POST /api/projects/{}/triggers/preview", "OOOOO", () => Post($"/api/projects/{_w.A}/triggers/preview",
            new { trigger = TriggerBody("preview"), machineIds = new[] { _w.Machine } })),
        R("GET /api/triggers/{}", "OOOOO", () => Get($"/api/triggers/{_w.TriggerA}"), "A"),
        R("GET /api/triggers/{}", "HOOHO", () => Get($"/api/triggers/{_w.TriggerB}"), "B"),
        R("PUT /api/triggers/{}", "FFFOO", () => Put($"/api/triggers/{_w.TriggerA}", TriggerBody("Web A"))),
        R("POST /api/triggers/{}/disable", "FFFOO", () => Post($"/api/triggers/{_w.TriggerA}/disable")),
        R("POST /api/triggers/{}/enable", "FFFOO", () => Post($"/api/triggers/{_w.TriggerA}/enable")),
        R("GET /api/triggers/{}/decisions", "OOOOO", () => Get($"/api/triggers/{_w.TriggerA}/decisions")),
        R("DELETE /api/triggers/{}", "FFFOO", async () => Delete($"/api/triggers/{await NewTriggerAsync(_w.A)}"), "A"),
        R("DELETE /api/triggers/{}", "FFFHO", async () => Delete($"/api/triggers/{await NewTriggerAsync(_w.B)}"), "B"),

        R("GET /api/projects/{}/auto-deploy-overrides", "OOOOO", () => Get($"/api/projects/{_w.A}/auto-deploy-overrides")),
        R("PUT /api/projects/{}/auto-deploy-overrides/{}", "FFOFO",
            () => Put($"/api/projects/{_w.A}/auto-deploy-overrides/{_w.Test}", new { releaseId = _w.ReleaseA }), "A in Test"),
        R("PUT /api/projects/{}/auto-deploy-overrides/{}", "FFFFO",
            () => Put($"/api/projects/{_w.A}/auto-deploy-overrides/{_w.Production}", new { releaseId = _w.ReleaseA }), "A in Production"),
        R("DELETE /api/projects/{}/auto-deploy-overrides/{}", "FFOFO", async () =>
        {
            (await _admin.PutAsJsonAsync($"/api/projects/{_w.A}/auto-deploy-overrides/{_w.Test}", new { releaseId = _w.ReleaseA })).EnsureSuccessStatusCode();
            return Delete($"/api/projects/{_w.A}/auto-deploy-overrides/{_w.Test}");
        }, "A in Test"),

        R("GET /api/deployments", "OOOOO", () => Get("/api/deployments")),
        R("POST /api/deployments", "FFOFO", () => Post("/api/deployments", new { releaseId = _w.ReleaseA, environmentId = _w.Test }), "A to Test"),
        R("POST /api/deployments", "FFFFO", () => Post("/api/deployments", new { releaseId = _w.ReleaseA, environmentId = _w.Production }), "A to Production"),
        R("GET /api/deployments/{}", "OOOOO", () => Get($"/api/deployments/{_w.DeploymentAToTest}"), "A to Test"),
        R("GET /api/deployments/{}", "HOHHO", () => Get($"/api/deployments/{_w.DeploymentBToProduction}"), "B to Production"),
        R("GET /api/deployments/{}/log", "OOOOO", () => Get($"/api/deployments/{_w.DeploymentAToTest}/log"), "A to Test"),
        R("GET /api/deployments/{}/log", "HOHHO", () => Get($"/api/deployments/{_w.DeploymentBToProduction}/log"), "B to Production"),
        R("POST /api/deployments/{}/cancel", "FFOFO", async () => Post($"/api/deployments/{await NewDeploymentAsync(_w.ReleaseA, _w.Test)}/cancel"), "A to Test"),
        R("POST /api/deployments/{}/cancel", "FFHFO", async () => Post($"/api/deployments/{await NewDeploymentAsync(_w.ReleaseA, _w.Production)}/cancel"),
            "A to Production"),
        R("POST /api/deployments/{}/retry", "FFOFO", () => Post($"/api/deployments/{_w.DeploymentAToTest}/retry"), "A to Test (409 when allowed)"),
        R("POST /api/deployments/{}/retry", "FFHHO", () => Post($"/api/deployments/{_w.DeploymentBToProduction}/retry"), "B to Production"),

        R("GET /api/health-checks/{}", "OOOOO", () => Get($"/api/health-checks/{_w.HealthCheck}")),
        R("GET /api/health-checks/{}/log", "OOOOO", () => Get($"/api/health-checks/{_w.HealthCheck}/log")),
        R("GET /api/events", "OOOOO", () => Get("/api/events")),
        R("GET /api/fleet", "OOOOO", () => Get("/api/fleet")),

        R("POST /api/packages", "FFFOO", () => Upload(Unique("2.0").Replace("-", ".", StringComparison.Ordinal))),
        R("GET /api/packages", "OOOOO", () => Get("/api/packages")),
        R("GET /api/packages/{}", "OOOOO", () => Get("/api/packages/matrix")),
        R("GET /api/packages/{}/{}", "OOOOO", () => Get("/api/packages/matrix/1.0.0")),
        R("GET /api/packages/{}/{}/download", "OOOOO", () => Get("/api/packages/matrix/1.0.0/download")),
        R("DELETE /api/packages/{}/{}", "FFFOO", async () => Delete($"/api/packages/matrix/{await NewPackageAsync()}")),

        R("GET /api/subscriptions", "FFFFO", () => Get("/api/subscriptions")),
        R("POST /api/subscriptions", "FFFFO", () => Post("/api/subscriptions", SubscriptionBody())),
        R("GET /api/subscriptions/{}", "FFFFO", async () => Get($"/api/subscriptions/{await NewSubscriptionAsync()}")),
        R("PUT /api/subscriptions/{}", "FFFFO", async () => Put($"/api/subscriptions/{await NewSubscriptionAsync()}", SubscriptionBody())),
        R("DELETE /api/subscriptions/{}", "FFFFO", async () => Delete($"/api/subscriptions/{await NewSubscriptionAsync()}")),
        R("POST /api/subscriptions/{}/pause", "FFFFO", async () => Post($"/api/subscriptions/{await NewSubscriptionAsync()}/pause")),
        R("POST /api/subscriptions/{}/resume", "FFFFO", async () => Post($"/api/subscriptions/{await NewSubscriptionAsync()}/resume")),
        R("POST /api/subscriptions/{}/test", "FFFFO", async () => Post($"/api/subscriptions/{await NewSubscriptionAsync()}/test")),
        R("GET /api/subscriptions/{}/deliveries", "FFFFO", async () => Get($"/api/subscriptions/{await NewSubscriptionAsync()}/deliveries")),

        R("GET /api/backup", "FFFFO", () => Get("/api/backup"), "409 on PostgreSQL"),

        R("GET /api/users", "FFFFO", () => Get("/api/users")),
        R("POST /api/users", "FFFFO", () => Post("/api/users", new { email = $"{Unique("u")}@matrix.test", password = "Matrix-Passw0rd!", role = "Viewer" })),
        R("PUT /api/users/{}/role", "FFFFO", async () => Put($"/api/users/{await NewUserAsync()}/role", new { role = "Deployer" })),
        R("PUT /api/users/{}/assignments", "FFFFO", async () => Put($"/api/users/{await NewUserAsync()}/assignments",
            new { assignments = new[] { new { role = "Deployer", environmentIds = new[] { _w.Test } } } })),
        R("POST /api/users/{}/disable", "FFFFO", async () => Post($"/api/users/{await NewUserAsync()}/disable")),
        R("POST /api/users/{}/enable", "FFFFO", async () => Post($"/api/users/{await NewUserAsync()}/enable")),
        R("DELETE /api/users/{}", "FFFFO", async () => Delete($"/api/users/{await NewUserAsync()}")),

        R("GET /api/me", "OOOOO", () => Get("/api/me")),
        R("GET /api/me/api-keys", "OOOOO", () => Get("/api/me/api-keys")),
        R("POST /api/me/api-keys", "OOOOO", () => Post("/api/me/api-keys", new { name = "matrix" })),
        new("DELETE /api/me/api-keys/{}", "own key", "OOOOO", async caller =>
        {
            var created = await caller.PostAsJsonAsync("/api/me/api-keys", new { name = "doomed" });
            return Delete($"/api/me/api-keys/{(await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetProperty("id").GetInt32()}");
        }),
    ];

    private object Registration(string name) =>
        new { name, environments = new[] { "Test", "Production" }, roles = new[] { "web" }, agentVersion = "1.0.0" };

    /// <summary>
    /// A project that can always be deployed: its machine has no agent and turns Unavailable once its health check gives up
    /// (on a loaded machine, before the matrix ends), so unavailable machines are skipped and no target is fine.
    /// </summary>
    private static object ProjectBody(string name) => new
    {
        name,
        steps = new[] { new { name = "Install", roles = new[] { "web" }, script = "echo hi" } },
        connectivity = new { skipUnavailableMachines = true, allowDeploymentsToNoTargets = true },
    };

    private object SubscriptionBody() => new { name = Unique("hook"), url = "http://127.0.0.1:9/hook", eventGroups = new[] { "MachineCritical" } };

    private async Task<int> NewSubscriptionAsync() => await IdAsync(await _admin.PostAsJsonAsync("/api/subscriptions", SubscriptionBody()), "subscription");

    private static object TriggerBody(string name) =>
        new { name, roles = new[] { "web" }, eventGroups = new[] { "MachineAvailableForDeployment" } };

    private HttpRequestMessage Upload(string version) =>
        new(HttpMethod.Post, $"/api/packages?fileName=matrix.{version}.zip") { Content = new ByteArrayContent(_w.Archive) };

    private async Task<int> IdAsync(HttpResponseMessage created, string? inside = null)
    {
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.RequestMessage!.RequestUri}: {created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (inside is null ? body : body.GetProperty(inside)).GetProperty("id").GetInt32();
    }

    private async Task<int> NewEnvironmentAsync() => await IdAsync(await _admin.PostAsJsonAsync("/api/environments", new { name = Unique("env") }));

    private async Task<int> NewPolicyAsync() => await IdAsync(await _admin.PostAsJsonAsync("/api/machine-policies", new { name = Unique("policy") }));

    private async Task<int> NewTokenAsync() =>
        await IdAsync(await _admin.PostAsJsonAsync("/api/enrolment-tokens", new { name = Unique("token"), environmentIds = new[] { _w.Test }, roles = new[] { "web" }, policyIds = new[] { _w.DefaultPolicy } }), "token");

    private async Task<int> NewProjectAsync() => await IdAsync(await _admin.PostAsJsonAsync("/api/projects", ProjectBody(Unique("project"))));

    private async Task<int> NewTriggerAsync(int project) =>
        await IdAsync(await _admin.PostAsJsonAsync($"/api/projects/{project}/triggers", TriggerBody(Unique("t"))));

    private async Task<int> NewDeploymentAsync(int release, int environment) =>
        await IdAsync(await _admin.PostAsJsonAsync("/api/deployments", new { releaseId = release, environmentId = environment }));

    private async Task<int> NewMachineAsync()
    {
        var registered = await _admin.PostAsJsonAsync("/api/machines/register", Registration(Unique("gone")));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("machineId").GetInt32();
    }

    private async Task<string> NewPackageAsync()
    {
        var version = Unique("3.0").Replace("-", ".", StringComparison.Ordinal);
        (await _admin.SendAsync(Upload(version))).EnsureSuccessStatusCode();
        return version;
    }

    private async Task<string> NewUserAsync() => await NewUserAsync(new { role = "Viewer" });

    private async Task<string> NewUserAsync(object assignments)
    {
        var body = JsonSerializer.SerializeToElement(assignments);
        var request = new Dictionary<string, object?> { ["email"] = $"{Unique("u")}@matrix.test", ["password"] = "Matrix-Passw0rd!" };
        foreach (var property in body.EnumerateObject())
        {
            request[property.Name] = property.Value;
        }
        var created = await _admin.PostAsJsonAsync("/api/users", request);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<HttpClient> CallerAsync(object assignments) => app.CreateApiClient(await app.CreateApiKeyAsync(await NewUserAsync(assignments)));

    /// <summary>Test and Production, a machine in both, projects A and B with a release and a trigger each, deployments, the callers.</summary>
    private async Task<World> WorldAsync()
    {
        var test = await IdAsync(await _admin.PostAsJsonAsync("/api/environments", new { name = "Test" }));
        var production = await IdAsync(await _admin.PostAsJsonAsync("/api/environments", new { name = "Production" }));
        var policies = await _admin.GetFromJsonAsync<JsonElement>("/api/machine-policies");
        var defaultPolicy = policies.EnumerateArray().Single(p => p.GetProperty("isDefault").GetBoolean()).GetProperty("id").GetInt32();
        var registered = await _admin.PostAsJsonAsync("/api/machines/register", Registration("matrix-01"));
        var machine = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("machineId").GetInt32();
        var a = await IdAsync(await _admin.PostAsJsonAsync("/api/projects", ProjectBody("A")));
        var b = await IdAsync(await _admin.PostAsJsonAsync("/api/projects", ProjectBody("B")));
        var releaseA = await IdAsync(await _admin.PostAsJsonAsync($"/api/projects/{a}/releases", new { version = "1.0.0" }));
        var releaseB = await IdAsync(await _admin.PostAsJsonAsync($"/api/projects/{b}/releases", new { version = "1.0.0" }));
        var triggerA = await IdAsync(await _admin.PostAsJsonAsync($"/api/projects/{a}/triggers", TriggerBody("Web A")));
        var triggerB = await IdAsync(await _admin.PostAsJsonAsync($"/api/projects/{b}/triggers", TriggerBody("Web B")));
        var archive = Packages.TestArchives.Zip(("index.html", "<h1>Matrix</h1>"));
        (await _admin.PostAsync("/api/packages?fileName=matrix.1.0.0.zip", new ByteArrayContent(archive))).EnsureSuccessStatusCode();
        var healthCheck = await _admin.PostAsync($"/api/machines/{machine}/health-check", null);
        var world = new World
        {
            Test = test, Production = production, DefaultPolicy = defaultPolicy, Machine = machine, A = a, B = b,
            ReleaseA = releaseA, ReleaseB = releaseB, TriggerA = triggerA, TriggerB = triggerB, Archive = archive,
            HealthCheck = (await healthCheck.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(),
        };
        _w = world;
        world.DeploymentAToTest = await NewDeploymentAsync(releaseA, test);
        world.DeploymentBToProduction = await NewDeploymentAsync(releaseB, production);
        world.ViewerOfA = await CallerAsync(new { assignments = new[] { new { role = "Viewer", projectIds = new[] { a } } } });
        world.Viewer = await CallerAsync(new { assignments = new[] { new { role = "Viewer" } } });
        world.DeployerForTest = await CallerAsync(new { assignments = new[] { new { role = "Deployer", environmentIds = new[] { test } } } });
        world.EditorOfA = await CallerAsync(new { assignments = new[] { new { role = "ProjectEditor", projectIds = new[] { a } } } });
        return world;
    }

    private sealed class World
    {
        public int Test { get; init; }
        public int Production { get; init; }
        public int DefaultPolicy { get; init; }
        public int Machine { get; init; }
        public int A { get; init; }
        public int B { get; init; }
        public int ReleaseA { get; init; }
        public int ReleaseB { get; init; }
        public int TriggerA { get; init; }
        public int TriggerB { get; init; }
        public long HealthCheck { get; init; }
        public required byte[] Archive { get; init; }
        public int DeploymentAToTest { get; set; }
        public int DeploymentBToProduction { get; set; }
        public HttpClient ViewerOfA { get; set; } = null!;
        public HttpClient Viewer { get; set; } = null!;
        public HttpClient DeployerForTest { get; set; } = null!;
        public HttpClient EditorOfA { get; set; } = null!;
    }
}
