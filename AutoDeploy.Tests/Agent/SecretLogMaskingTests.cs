using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// A real agent runs a script that prints a PEM key and lines longer than the agent's cut with secrets across it: the
/// stored log holds no fragment of any secret, and the script got the decrypted values.
/// </summary>
[Trait("Database", "App")]
public sealed class SecretLogMaskingTests : IAsyncLifetime
{
    private const string Token = "tok3n-ZQ9xW2vK7pL4mN8rB5cT";

    private static readonly string[] PemLines =
    [
        "-----BEGIN PRIVATE KEY-----",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7o4qne60TB3wo",
        "pXmRk7XcLzwZ1V1dcUYq8TQgA9ThbhfRgXNuD1PMhVKH0yb6EDHkzoZq7aE3kPf2",
        "-----END PRIVATE KEY-----",
    ];

    // The token starts 10 characters before the agent's cut at 10,000; so does the key's second line.
    private static readonly string Script = string.Join("\n",
        "printf '%s\\n' \"$TLS_KEY\"",
        "head -c 9990 /dev/zero | tr '\\0' a; printf '%s' \"$API_TOKEN\"; head -c 2000 /dev/zero | tr '\\0' b; echo",
        "head -c 9990 /dev/zero | tr '\\0' c; printf '%s\\n' \"$TLS_KEY\" | sed -n 3p | tr -d '\\n'; head -c 2000 /dev/zero | tr '\\0' d; echo",
        "printf '%s' \"$API_TOKEN\" | sha256sum",
        "printf '%s' \"$TLS_KEY\" | sha256sum");

    private readonly AutoDeployAppFactory _app = new();
    private readonly CancellationTokenSource _stopAgent = new();
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
    }

    [Fact]
    public async Task No_fragment_of_a_secret_reaches_the_stored_log_and_the_script_gets_the_decrypted_values()
    {
        var scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
        var machine = await scenario.AddMachineAsync("web-01", "web");
        var releaseId = await CreateReleaseAsync();
        StartAgent(machine, "web-01");

        var deployed = await _api.PostAsJsonAsync("/api/deployments", new DeployRequest(releaseId, scenario.Environment.Id, null));
        var deployment = (await deployed.Content.ReadFromJsonAsync<DeploymentSummary>(ProtocolAgent.Json))!;
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id, TimeSpan.FromSeconds(60));

        Assert.Equal(DeploymentState.Success, details.Deployment.State);
        var lines = await StoredLogAsync(deployment.Id);
        Assert.Contains(Sha256(Token), lines);
        Assert.Contains(Sha256(string.Join("\n", PemLines)), lines);
        Assert.Equal(4, lines.Count(l => l == ProjectVariable.Mask));
        Assert.Equal(2, lines.Count(l => l.Length > 9_000 && l.Contains(ProjectVariable.Mask) && l.EndsWith(TaskLogLine.TruncatedMarker)));
        string[] secrets = [Token, PemLines[1], PemLines[2]];
        var fragments = secrets.SelectMany(s => Enumerable.Range(0, s.Length - 5).Select(i => s.Substring(i, 6))).ToList();
        Assert.DoesNotContain(lines, l => fragments.Any(f => l.Contains(f, StringComparison.Ordinal)));
    }

    private async Task<int> CreateReleaseAsync()
    {
        var project = await _api.PostAsJsonAsync("/api/projects", new
        {
            name = "Shop",
            steps = new[] { new { name = "Install", roles = new[] { "web" }, script = Script, timeout = "00:01:00" } },
            variables = new[]
            {
                new { name = "API_TOKEN", value = Token, isSensitive = true },
                new { name = "TLS_KEY", value = string.Join("\n", PemLines), isSensitive = true },
            },
        });
        Assert.Equal(HttpStatusCode.Created, project.StatusCode);
        var projectId = (await project.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var release = await _api.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.0.0" });
        Assert.Equal(HttpStatusCode.Created, release.StatusCode);
        return (await release.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private async Task<List<string>> StoredLogAsync(int deploymentId)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        return await db.TaskLogLines.Where(l => l.DeploymentId == deploymentId).OrderBy(l => l.Id).Select(l => l.Text).ToListAsync();
    }

    private static string Sha256(string text) => $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}  -";

    private void StartAgent((int Id, string Token) machine, string name)
    {
        var runner = new AgentRunner(new AgentSettings(_server, machine.Id, name, machine.Token), new HttpClient(), TimeProvider.System,
            TextWriter.Null, TestAgentOptions.Fast);
        _agent = Task.Run(() => runner.RunAsync(_stopAgent.Token));
    }
}
