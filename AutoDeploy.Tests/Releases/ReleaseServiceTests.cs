using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using static AutoDeploy.Tests.Projects.ProjectTestData;

namespace AutoDeploy.Tests.Releases;

public sealed class ReleaseServiceTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private ProjectService _projects = null!;
    private ReleaseService _releases = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _projects = ProjectService(_database);
        _releases = ReleaseService(_database, _database.Time);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task CreateAsync_snapshots_the_process_and_records_ReleaseCreated()
    {
        var project = await CreateProjectAsync("Shop", Step("Deploy", "web"));

        var saved = await _releases.CreateAsync(project.Id, new ReleaseInput { Version = "1.4.2", Notes = "First" });

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        Assert.Equal(("1.4.2", "First", _database.Time.GetUtcNow()), (saved.Value!.Version, saved.Value.Notes, saved.Value.CreatedAt));
        await using var db = _database.CreateDbContext();
        var recorded = await db.Events.SingleAsync(e => e.Category == EventCategories.ReleaseCreated);
        Assert.Equal((project.Id, saved.Value.Id, "Release 1.4.2 of 'Shop' was created"), (recorded.ProjectId, recorded.ReleaseId, recorded.Message));
    }

    [Fact]
    public async Task The_snapshot_does_not_change_when_the_project_changes_later()
    {
        var project = await CreateProjectAsync("Shop", Step("Deploy", "web"));
        var release = (await _releases.CreateAsync(project.Id, new ReleaseInput { Version = "1.0.0" })).Value!;
        var input = project.ToInput();
        input.Steps = [Step("Deploy", "web", "worker") with { Script = "echo changed" }, Step("Migrate", "db")];
        await _projects.UpdateAsync(project.Id, input, project.Version);

        var snapshot = (await _releases.GetAsync(release.Id))!;

        var step = Assert.Single(snapshot.Steps);
        Assert.Equal(["web"], step.Roles);
        Assert.Equal("echo Deploy", step.Script);
    }

    [Fact]
    public async Task A_version_already_released_for_the_project_is_a_conflict()
    {
        var project = await CreateProjectAsync("Shop", Step("Deploy", "web"));
        await _releases.CreateAsync(project.Id, new ReleaseInput { Version = "1.4.2" });

        var saved = await _releases.CreateAsync(project.Id, new ReleaseInput { Version = " 1.4.2 " });

        Assert.Equal(SaveStatus.Conflict, saved.Result.Status);
        Assert.Equal("Release 1.4.2 already exists for 'Shop'.", saved.Result.Message);
    }

    [Fact]
    public async Task The_same_version_may_be_released_by_another_project()
    {
        var shop = await CreateProjectAsync("Shop", Step("Deploy", "web"));
        var blog = await CreateProjectAsync("Blog", Step("Deploy", "web"));
        await _releases.CreateAsync(shop.Id, new ReleaseInput { Version = "1.0.0" });

        var saved = await _releases.CreateAsync(blog.Id, new ReleaseInput { Version = "1.0.0" });

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
    }

    [Fact]
    public async Task A_project_without_steps_cannot_be_released()
    {
        var project = await CreateProjectAsync("Shop");

        var saved = await _releases.CreateAsync(project.Id, new ReleaseInput { Version = "1.0.0" });

        Assert.Equal((SaveStatus.Invalid, "The project has no steps to release."), (saved.Result.Status, saved.Result.Message));
    }

    [Fact]
    public async Task A_version_that_is_not_semver_is_invalid()
    {
        var project = await CreateProjectAsync("Shop", Step("Deploy", "web"));

        var saved = await _releases.CreateAsync(project.Id, new ReleaseInput { Version = "1.4" });

        Assert.Equal(["'1.4' is not a SemVer version such as 1.4.2."], saved.Result.Errors!["Version"]);
    }

    [Fact]
    public async Task A_missing_project_is_not_found_and_has_no_release_list()
    {
        var saved = await _releases.CreateAsync(999, new ReleaseInput { Version = "1.0.0" });

        Assert.Equal(SaveStatus.NotFound, saved.Result.Status);
        Assert.Null(await _releases.ListAsync(999));
    }

    [Fact]
    public async Task ListAsync_is_newest_first_by_semver_precedence()
    {
        var project = await CreateProjectAsync("Shop", Step("Deploy", "web"));
        foreach (var version in new[] { "1.9.0", "1.10.0-rc.1", "1.10.0", "1.2.0" })
        {
            await _releases.CreateAsync(project.Id, new ReleaseInput { Version = version });
        }

        var releases = await _releases.ListAsync(project.Id);

        Assert.Equal(["1.10.0", "1.10.0-rc.1", "1.9.0", "1.2.0"], releases!.Select(r => r.Version));
    }

    [Fact]
    public async Task A_release_keeps_the_sensitive_value_but_shows_only_the_mask()
    {
        var input = Input("Shop", Step("Deploy", "web"));
        input.Variables = [Variable("DB_PASSWORD", "s3cret", sensitive: true)];
        var project = await _projects.SaveNewAsync(input);

        var created = (await _releases.CreateAsync(project.Id, new ReleaseInput { Version = "1.0.0" })).Value!;

        Assert.Equal(ProjectVariable.Mask, Assert.Single((await _releases.GetAsync(created.Id))!.Variables).Value);
        Assert.Equal(ProjectVariable.Mask, Assert.Single(created.Variables).Value);
        await using var db = _database.CreateDbContext();
        var stored = Assert.Single((await db.Releases.SingleAsync()).Variables).Value;
        Assert.Equal(("s3cret", false), (TestSecrets.Protector.Reveal(stored), stored.Contains("s3cret")));
    }

    [Fact]
    public async Task SuggestNextVersionAsync_is_the_next_patch_of_the_latest_release()
    {
        var project = await CreateProjectAsync("Shop", Step("Deploy", "web"));
        await _releases.CreateAsync(project.Id, new ReleaseInput { Version = "1.4.2" });

        Assert.Equal("1.4.3", await _releases.SuggestNextVersionAsync(project.Id));
    }

    private Task<ProjectDetails> CreateProjectAsync(string name, params DeploymentStep[] steps) =>
        _projects.SaveNewAsync(Input(name, steps));
}
