using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AutoDeploy.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> for Prometheus: off by default, behind its scrape token, and moved by a real deployment and auto-deployment.
/// Its subject is the telemetry wiring, not the database, so it runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed partial class MetricsTests : IAsyncLifetime
{
    private const string Token = "scrape-token-0123456789abcdef0123456789";

    private readonly AutoDeployAppFactory _app = new();
    private readonly ScopeRecordingLoggerProvider _logs = new();
    private readonly CancellationTokenSource _stopAgents = new();
    private readonly List<Task<int>> _agents = [];
    private IDbContextFactory<AutoDeployDbContext> _factory = null!;
    private string _server = "";
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _app.Settings["Telemetry:MetricsEnabled"] = "true";
        _app.Settings["Telemetry:ScrapeToken"] = Token;
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        _app.TestServices = services => services.AddSingleton<ILoggerProvider>(_logs);
        _server = _app.StartOnKestrel();
        _http = new HttpClient { BaseAddress = new Uri(_server) };
        _factory = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stopAgents.CancelAsync();
        await Task.WhenAll(_agents);
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-0123456789abcdef0123456789")]
    [InlineData(Token)]
    public async Task Without_the_scrape_token_as_a_bearer_token_it_is_401_with_problem_details(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await _http.SendAsync(request);

        Assert.Equal("Scraping the metrics needs the scrape token as a bearer token (Telemetry:ScrapeToken).",
            (await ProblemResponses.ProblemAsync(response, HttpStatusCode.Unauthorized)).Detail);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_deployment_and_an_auto_deployment_move_the_counters_and_the_reaction_histogram_and_log_with_their_ids()
    {
        var scenario = await new DeploymentScenario(_factory).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web", "echo installed"));
        await using (var setup = await _factory.CreateDbContextAsync())
        {
            setup.Triggers.Add(ProjectTrigger.Create(scenario.Project.Id, "Web servers"));
            await setup.SaveChangesAsync();
        }
        var before = Value(await ScrapeAsync(), SucceededPattern());
        var first = await StartAgentAsync(scenario, "web-01");
        using var api = new HttpClient { BaseAddress = new Uri(_server) };
        api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        (await api.PostAsJsonAsync("/api/deployments", new DeployRequest(scenario.Release.Id, scenario.Environment.Id, null))).EnsureSuccessStatusCode();
        await WaitForReleaseAsync(api, scenario, first);

        var second = await StartAgentAsync(scenario, "web-02");
        await WaitForReleaseAsync(api, scenario, second);

        // ASP.NET Core's own series (http_server_request_duration_seconds) are not asserted here: OpenTelemetry's SDK shares
        // one metric between same-named meters in a process and stops it when any of them is disposed, and this process
        // starts and stops hundreds of apps, each with its own Microsoft.AspNetCore.Hosting meter. A server runs one app
        // per process, where that cannot happen.
        string metrics = "";
        await Eventually.TrueAsync(async () =>
            {
                metrics = await ScrapeAsync();
                return Value(metrics, SucceededPattern()) >= before + 2 && Value(metrics, ReactionCountPattern()) >= 1;
            }, TimeSpan.FromSeconds(30), () => string.Join(", ", Regex.Matches(metrics, @"(?m)^# TYPE (\S+)").Select(m => m.Groups[1].Value)));
        Assert.Matches(@"(?m)^autodeploy_agents_polling(\{[^}]*\})? ", metrics);
        Assert.Matches(@"(?m)^autodeploy_deployments_queued(\{[^}]*\})? ", metrics);

        // For log shippers: the lines about a deployment carry its ids as scopes (the JSON console formatter prints them).
        await using var db = await _factory.CreateDbContextAsync();
        var auto = await db.Deployments.SingleAsync(d => d.TriggerId != null);
        var queued = Assert.Single(_logs.Lines, l => l.Message.StartsWith($"Auto-deploy queued deployment {auto.Id} ", StringComparison.Ordinal));
        Assert.Equal(auto.TriggerId, queued.Scopes["TriggerId"]);
        Assert.Equal(second.ToString(CultureInfo.InvariantCulture), queued.Scopes["MachineIds"]);
        Assert.Contains(_logs.Lines, l => l.Message == $"Deployment {auto.Id} ended Success" && Equals(l.Scopes["DeploymentId"], auto.Id));
    }

    [Fact]
    public async Task Metrics_are_off_unless_configured_and_refuse_to_start_without_a_token_or_a_host_of_their_own()
    {
        await using var off = new AutoDeployAppFactory();
        Assert.Equal(HttpStatusCode.NotFound, (await off.CreateClient().GetAsync("/metrics")).StatusCode);

        await using var open = new AutoDeployAppFactory();
        open.Settings["Telemetry:MetricsEnabled"] = "true";
        var error = Assert.Throws<InvalidOperationException>(() => open.CreateClient());
        Assert.Contains("Telemetry:ScrapeToken", error.Message);

        await using var weak = new AutoDeployAppFactory();
        weak.Settings["Telemetry:MetricsEnabled"] = "true";
        weak.Settings["Telemetry:ScrapeToken"] = "short";
        Assert.Contains("too short", Assert.Throws<InvalidOperationException>(() => weak.CreateClient()).Message);
    }

    private async Task<string> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples matching <paramref name="pattern"/> (its group "value"); 0 when there is none yet.</summary>
    private static double Value(string metrics, Regex pattern) =>
        pattern.Matches(metrics).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?m)^autodeploy_deployments_finished_total\{[^}]*state=""Success""[^}]*\} (?<value>[0-9.e+]+)")]
    private static partial Regex SucceededPattern();

    [GeneratedRegex(@"(?m)^autodeploy_reaction_duration_seconds_count(\{[^}]*\})? (?<value>[0-9.e+]+)")]
    private static partial Regex ReactionCountPattern();

    private async Task<int> StartAgentAsync(DeploymentScenario scenario, string name)
    {
        var (id, token) = await _factory.AddAsync(name, [scenario.Environment.Id], ["web"]);
        var runner = new AgentRunner(new AgentSettings(_server, id, name, token), new HttpClient(), TimeProvider.System, TextWriter.Null,
            TestAgentOptions.Fast);
        _agents.Add(Task.Run(() => runner.RunAsync(_stopAgents.Token)));
        return id;
    }

    private static Task WaitForReleaseAsync(HttpClient api, DeploymentScenario scenario, int machineId) =>
        Eventually.TrueAsync(async () =>
            (await api.GetFromJsonAsync<List<MachineRelease>>($"/api/machines/{machineId}/releases", ProtocolAgent.Json))!
                .Any(r => r.ReleaseId == scenario.Release.Id), TimeSpan.FromSeconds(60), () => $"machine {machineId} has no release yet");
}
