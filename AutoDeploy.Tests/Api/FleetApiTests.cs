using System.Net;
using AutoDeploy.Domain.Fleet;
using AutoDeploy.Tests.Fleet;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// <c>GET /api/fleet</c> over a fleet arranged through the API: Shop (a web step, a trigger for every role, 1.0.0 pinned in
/// Prod) and Search (a db step, a trigger for db), web-01 and web-02 in Prod, web-03 in Test, db-01 in Prod. No agent
/// calls, so nothing is deployed and the engine has nothing to decide. Its subject is the API over the fleet service;
/// the fleet's queries on PostgreSQL are FleetServiceTests', so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class FleetApiTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _api = null!;
    private int _prod;
    private int _search;

    public async Task InitializeAsync()
    {
        _api = _app.CreateApiClient();
        _prod = await _api.CreateEnvironmentAsync("Prod");
        await _api.CreateEnvironmentAsync("Test");
        var shop = await _api.CreateProjectAsync("Shop", "web");
        _search = await _api.CreateProjectAsync("Search", "db");
        await _api.CreateTriggerAsync(shop, "Web servers");
        await _api.CreateTriggerAsync(_search, "Databases", "db");
        await _api.PinAsync(shop, _prod, await _api.CreateReleaseAsync(shop, "1.0.0"));
        foreach (var (name, environment, role) in new[] { ("web-01", "Prod", "web"), ("web-02", "Prod", "web"), ("web-03", "Test", "web"), ("db-01", "Prod", "db") })
        {
            await _api.RegisterAsync(name, environment, role);
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Each_machine_and_project_is_a_row_with_its_state_and_the_counts_per_state()
    {
        var fleet = await _api.FleetAsync();

        Assert.Equal(
        [
            "web-01 Shop Behind", "web-01 Search NotCovered", "web-02 Shop Behind", "web-02 Search NotCovered",
            "web-03 Shop Blocked", "web-03 Search NotCovered", "db-01 Shop NotCovered", "db-01 Search Blocked",
        ], fleet.Rows.Select(r => $"{r.MachineName} {r.ProjectName} {r.State}"));
        Assert.Equal(new DriftCounts(0, 0, 0, 2, 2, 4), fleet.Counts);
        Assert.Equal((8, (string?)null), (fleet.Total, fleet.NextAfter));
        var web01 = fleet.Rows[0];
        Assert.Equal(("1.0.0", ReleaseSource.Override, "The auto-deploy override of Prod; trigger 'Web servers'."),
            (web01.ShouldHaveVersion, web01.Source, web01.Why));
        Assert.Equal("'web-01' has no release, not 1.0.0, and no deployment is queued for it; it has not had its first health check yet.", web01.Reason);
        Assert.Equal("No release of 'Shop' has been deployed to Test yet and no override is set.", fleet.Rows[4].Reason);
        Assert.Equal("No step of 'Shop' runs on the roles of 'db-01' (db).", fleet.Rows[6].Reason);
        Assert.Equal("No enabled trigger of 'Search' applies to 'web-01' in Prod with roles web.", fleet.Rows[1].Reason);
    }

    [Fact]
    public async Task A_state_filter_keeps_the_counts_of_the_other_filters()
    {
        var behind = await _api.FleetAsync("state=behind");
        var prodSearch = await _api.FleetAsync($"environmentId={_prod}&projectId={_search}");
        var databases = await _api.FleetAsync("role=DB");

        Assert.Equal(["web-01", "web-02"], behind.Rows.Select(r => r.MachineName));
        Assert.Equal((2, new DriftCounts(0, 0, 0, 2, 2, 4)), (behind.Total, behind.Counts));
        Assert.Equal(["web-01 NotCovered", "web-02 NotCovered", "db-01 Blocked"], prodSearch.Rows.Select(r => $"{r.MachineName} {r.State}"));
        Assert.Equal(new DriftCounts(0, 0, 0, 0, 1, 2), prodSearch.Counts);
        Assert.Equal(["db-01 Shop", "db-01 Search"], databases.Rows.Select(r => $"{r.MachineName} {r.ProjectName}"));
    }

    [Fact]
    public async Task Pages_after_the_cursor_of_the_last_row_until_the_last_page()
    {
        var all = await _api.FleetAsync();

        var seen = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await _api.FleetAsync($"take=3{(after is null ? "" : $"&after={after}")}");
            seen.AddRange(page.Rows.Select(r => r.Cursor));
            Assert.Equal(8, page.Total);
            after = page.NextAfter;
            pages++;
        }
        while (after is not null);

        Assert.Equal(3, pages);
        Assert.Equal(all.Rows.Select(r => r.Cursor), seen);
    }

    [Theory]
    [InlineData("state=Nope", "state", "Unknown state 'Nope'; use one of Current, Pending, Waiting, Behind, Blocked, NotCovered.")]
    [InlineData("take=0", "take", "'take' must be between 1 and 500.")]
    [InlineData("take=501", "take", "'take' must be between 1 and 500.")]
    [InlineData("after=web-01", "after", "'after' must be the nextAfter of a page, e.g. '12-3' (machine 12, project 3).")]
    [InlineData("environmentId=987654", "environmentId", "Environment 987654 does not exist.")]
    [InlineData("projectId=987654", "projectId", "Project 987654 does not exist.")]
    public async Task A_bad_filter_or_page_is_a_400_naming_the_parameter(string query, string parameter, string message)
    {
        var response = await _api.GetAsync($"/api/fleet?{query}");

        var problem = await ProblemResponses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([message], problem.Errors[parameter]);
    }

    [Fact]
    public async Task A_viewer_may_read_the_fleet_and_no_key_may_not()
    {
        var viewer = await _app.CreateViewerClientAsync();

        var read = await viewer.GetAsync("/api/fleet");
        var anonymous = await _app.CreateClient().GetAsync("/api/fleet");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (read.StatusCode, anonymous.StatusCode));
    }
}
