using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Tests.Packages;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// Issue 15's proof, through the REST API and the real agent loop on Kestrel: a package is uploaded, a release pins it,
/// and a machine that joins afterwards is auto-deployed it: downloaded, checked, extracted, its script run inside it.
/// </summary>
[Trait("Database", "App")]
public sealed class PackageAutoDeployTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly CancellationTokenSource _stopAgent = new();
    private readonly string _apps = Directory.CreateTempSubdirectory("autodeploy-apps-").FullName;
    private Task<int>? _agent;
    private HttpClient _api = null!;
    private string _server = "";

    public Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:02";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.200";
        _server = _app.StartOnKestrel();
        _api = new HttpClient { BaseAddress = new Uri(_server) };
        _api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stopAgent.CancelAsync();
        if (_agent is not null)
        {
            await _agent;
        }
        _api.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_apps, recursive: true);
    }

    [Fact]
    public async Task A_machine_that_joins_gets_the_pinned_package_extracted_with_its_script_run_inside()
    {
        var environment = await IdAsync(await _api.PostAsJsonAsync("/api/environments", new { name = "Production" }));
        var project = await IdAsync(await _api.PostAsJsonAsync("/api/projects", new
        {
            name = "Shop",
            steps = new[] { new { name = "Install", roles = new[] { "web" }, timeout = "00:05:00", packageId = "Shop.Web",
                substituteInFiles = new[] { "www/index.html" },
                script = "echo \"running $AUTODEPLOY_PACKAGE_ID $AUTODEPLOY_PACKAGE_VERSION in $PWD\"\ncat www/index.html" } },
        }));
        var zip = TestArchives.Body(TestArchives.Zip(("www/index.html", "<h1>Shop 1.4.2 on #{AUTODEPLOY_MACHINE}</h1>")));
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/packages?fileName=Shop.Web.1.4.2.zip", zip)).StatusCode);
        var release = await IdAsync(await _api.PostAsJsonAsync($"/api/projects/{project}/releases", new { version = "1.0.0" }));
        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsJsonAsync($"/api/projects/{project}/auto-deploy-overrides/{environment}", new { releaseId = release })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsJsonAsync($"/api/projects/{project}/triggers", new
        {
            name = "Web servers", environmentIds = new[] { environment }, roles = new[] { "web" }, eventGroups = new[] { "MachineAvailableForDeployment" },
        })).StatusCode);

        var registered = await _api.PostAsJsonAsync("/api/machines/register", new { name = "web-01", environments = new[] { "Production" }, roles = new[] { "web" } });
        var machine = (await registered.Content.ReadFromJsonAsync<RegistrationResponse>(ProtocolAgent.Json))!;
        var runner = new AgentRunner(new AgentSettings(_server, machine.MachineId, "web-01", machine.Token), new HttpClient(), TimeProvider.System,
            TextWriter.Null, new AgentRunnerOptions
            {
                RetryInitialDelay = TimeSpan.FromMilliseconds(50), HeartbeatInterval = TimeSpan.FromMilliseconds(500),
                LogFlushInterval = TimeSpan.FromMilliseconds(100), AppsFolder = _apps, PackageCacheFolder = Path.Combine(_apps, ".cache"),
            });
        _agent = Task.Run(() => runner.RunAsync(_stopAgent.Token));

        DeploymentSummary? deployment = null;
        await Eventually.TrueAsync(async () =>
            (deployment = (await _api.GetFromJsonAsync<List<DeploymentSummary>>($"/api/deployments?machineId={machine.MachineId}", ProtocolAgent.Json))!
                .FirstOrDefault()) is not null, TimeSpan.FromSeconds(60));
        var details = await _api.WaitForDeploymentEndAsync(deployment!.Id, TimeSpan.FromSeconds(60));

        Assert.Equal(DeploymentState.Success, details.Deployment.State);
        var folder = Path.Combine(_apps, "Shop", "Shop.Web", "1.4.2");
        Assert.Equal("<h1>Shop 1.4.2 on web-01</h1>", await File.ReadAllTextAsync(Path.Combine(folder, "www", "index.html")));
        var log = await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{deployment.Id}/log", ProtocolAgent.Json);
        var texts = log!.Lines.Select(l => l.Text).ToList();
        Assert.Contains($"running Shop.Web 1.4.2 in {folder}", texts);
        Assert.Contains("<h1>Shop 1.4.2 on web-01</h1>", texts);
        var releases = await _api.GetStringAsync($"/api/machines/{machine.MachineId}/releases");
        Assert.Contains("Shop.Web", releases);
    }

    private static async Task<int> IdAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}
