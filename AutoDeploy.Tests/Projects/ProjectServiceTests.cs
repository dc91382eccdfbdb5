using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Secrets;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using static AutoDeploy.Tests.Projects.ProjectTestData;

namespace AutoDeploy.Tests.Projects;

public sealed class ProjectServiceTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private ProjectService _projects = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _projects = ProjectService(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task CreateAsync_saves_the_project_and_records_Created()
    {
        var saved = await _projects.CreateAsync(Input("Shop", Step("Deploy", "web")));

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        Assert.Equal("Deploy", Assert.Single((await _projects.GetAsync(saved.Value!.Id))!.Steps).Name);
        var recorded = await SingleEventAsync(saved.Value.Id);
        Assert.Equal(EventCategories.Created, recorded.Category);
        Assert.Equal("Project", recorded.DocumentType);
    }

    [Fact]
    public async Task CreateAsync_with_a_name_taken_ignoring_case_is_a_conflict_on_the_name()
    {
        await _projects.CreateAsync(Input("Shop"));

        var saved = await _projects.CreateAsync(Input(" shop "));

        Assert.Equal(SaveStatus.Conflict, saved.Result.Status);
        Assert.Equal(["A project named 'shop' already exists."], saved.Result.Errors!["Name"]);
    }

    [Fact]
    public async Task CreateAsync_with_invalid_input_returns_every_message_and_writes_nothing()
    {
        var input = Input("", Step("Migrate"));

        var saved = await _projects.CreateAsync(input);

        Assert.Equal(SaveStatus.Invalid, saved.Result.Status);
        Assert.Equal(["Name", "Steps[0].Roles"], saved.Result.Errors!.Keys.Order());
        await using var db = _database.CreateDbContext();
        Assert.False(await db.Projects.AnyAsync());
    }

    [Fact]
    public async Task UpdateAsync_with_the_loaded_version_saves_bumps_the_version_and_records_Modified()
    {
        var project = await _projects.SaveNewAsync(Input("Shop"));
        var input = project.ToInput();
        input.Steps.Add(Step("Deploy", "web"));

        var saved = await _projects.UpdateAsync(project.Id, input, project.Version);

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        Assert.Equal(project.Version + 1, saved.Value!.Version);
        await using var db = _database.CreateDbContext();
        var modified = await db.Events.SingleAsync(e => e.ProjectId == project.Id && e.Category == EventCategories.Modified);
        Assert.Equal("Project 'Shop' was modified: Steps", modified.Message);
    }

    [Fact]
    public async Task A_steps_rolling_window_alone_is_a_change_that_is_saved_and_copied_into_releases()
    {
        var project = await _projects.SaveNewAsync(Input("Shop", Step("Deploy", "web")));
        var input = project.ToInput();
        input.Steps[0] = input.Steps[0] with { Window = RollingWindow.Percent(25), ContinueOnFailure = true };

        var saved = await _projects.UpdateAsync(project.Id, input, project.Version);
        var release = await ReleaseService(_database, _database.Time).CreateAsync(project.Id, new ReleaseInput { Version = "1.0.0" });

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        var step = Assert.Single((await _projects.GetAsync(project.Id))!.Steps);
        Assert.Equal((RollingWindow.Percent(25), true), (step.Window, step.ContinueOnFailure));
        await using var db = _database.CreateDbContext();
        var copied = Assert.Single((await db.Releases.SingleAsync(r => r.Id == release.Value!.Id)).Steps);
        Assert.Equal((RollingWindow.Percent(25), true), (copied.Window, copied.ContinueOnFailure));
    }

    [Fact]
    public async Task Continue_on_failure_is_kept_only_for_a_rolling_step()
    {
        var saved = await _projects.SaveNewAsync(Input("Shop", Step("Deploy", "web") with { ContinueOnFailure = true }));

        Assert.False(Assert.Single(saved.Steps).ContinueOnFailure);
    }

    [Fact]
    public async Task UpdateAsync_with_a_version_someone_saved_over_is_stale_and_writes_nothing()
    {
        var project = await _projects.SaveNewAsync(Input("Shop"));
        var theirs = project.ToInput();
        theirs.Description = "Theirs";
        await _projects.UpdateAsync(project.Id, theirs, project.Version);
        var mine = project.ToInput();
        mine.Description = "Mine";

        var saved = await _projects.UpdateAsync(project.Id, mine, project.Version);

        Assert.Equal(SaveStatus.Stale, saved.Result.Status);
        Assert.Equal("Theirs", (await _projects.GetAsync(project.Id))!.Description);
    }

    [Fact]
    public async Task UpdateAsync_to_another_projects_name_is_a_conflict()
    {
        await _projects.CreateAsync(Input("Shop"));
        var other = await _projects.SaveNewAsync(Input("Blog"));
        var input = other.ToInput();
        input.Name = "SHOP";

        var saved = await _projects.UpdateAsync(other.Id, input, other.Version);

        Assert.Equal(SaveStatus.Conflict, saved.Result.Status);
    }

    [Fact]
    public async Task UpdateAsync_of_a_missing_project_is_not_found()
    {
        var saved = await _projects.UpdateAsync(999, Input("Shop"), null);

        Assert.Equal(SaveStatus.NotFound, saved.Result.Status);
    }

    [Theory]
    [InlineData(ProjectVariable.Mask)]
    [InlineData(null)]
    public async Task A_sensitive_variable_submitted_with_the_mask_or_no_value_keeps_its_stored_value(string? submitted)
    {
        var input = Input("Shop");
        input.Variables = [Variable("DB_PASSWORD", "s3cret", sensitive: true)];
        var project = await _projects.SaveNewAsync(input);
        var update = project.ToInput();
        update.Variables[0].Value = submitted;
        update.Description = "Changed";

        var saved = await _projects.UpdateAsync(project.Id, update, project.Version);

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        Assert.Equal("s3cret", TestSecrets.Protector.Reveal(await StoredValueAsync()));
    }

    [Fact]
    public async Task A_sensitive_value_is_stored_encrypted_and_keeping_it_keeps_the_same_ciphertext()
    {
        var input = Input("Shop");
        input.Variables = [Variable("DB_PASSWORD", "s3cret", sensitive: true)];
        var project = await _projects.SaveNewAsync(input);
        var stored = await StoredValueAsync();
        var update = project.ToInput();
        update.Description = "Changed";

        await _projects.UpdateAsync(project.Id, update, project.Version);

        Assert.StartsWith(SecretProtector.Prefix, stored);
        Assert.DoesNotContain("s3cret", stored);
        Assert.Equal(stored, await StoredValueAsync());
    }

    [Fact]
    public async Task A_plain_variable_made_sensitive_with_the_mask_is_encrypted()
    {
        var input = Input("Shop");
        input.Variables = [Variable("DB_PASSWORD", "s3cret")];
        var project = await _projects.SaveNewAsync(input);
        var update = project.ToInput();
        update.Variables[0].IsSensitive = true;
        update.Variables[0].Value = ProjectVariable.Mask;

        var saved = await _projects.UpdateAsync(project.Id, update, project.Version);

        Assert.Equal(SaveStatus.Saved, saved.Result.Status);
        var stored = await StoredValueAsync();
        Assert.Equal(("s3cret", false), (TestSecrets.Protector.Reveal(stored), stored.Contains("s3cret")));
    }

    private async Task<string> StoredValueAsync()
    {
        await using var db = _database.CreateDbContext();
        return Assert.Single((await db.Projects.SingleAsync()).Variables).Value;
    }

    [Fact]
    public async Task A_sensitive_value_is_in_no_DTO_and_not_in_the_audit_log()
    {
        var input = Input("Shop", Step("Deploy", "web"));
        input.Variables = [Variable("DB_PASSWORD", "s3cret", sensitive: true)];
        var created = await _projects.SaveNewAsync(input);
        var update = created.ToInput();
        update.Variables[0].Value = "n3w-s3cret";
        var updated = await _projects.UpdateAsync(created.Id, update, created.Version);

        var shown = new object?[] { created, updated.Value, await _projects.GetAsync(created.Id), await _projects.ListAsync() };

        var json = System.Text.Json.JsonSerializer.Serialize(shown);
        Assert.DoesNotContain("s3cret", json);
        Assert.Contains(ProjectVariable.Mask, json);
        await using var db = _database.CreateDbContext();
        Assert.DoesNotContain(await db.Events.ToListAsync(), e => (e.DetailsJson ?? "").Contains("s3cret") || e.Message.Contains("s3cret"));
    }

    [Fact]
    public async Task A_new_sensitive_variable_without_a_value_is_refused_beside_its_value()
    {
        var input = Input("Shop");
        input.Variables = [Variable("API_KEY", ProjectVariable.Mask, sensitive: true)];

        var saved = await _projects.CreateAsync(input);

        Assert.Equal(SaveStatus.Invalid, saved.Result.Status);
        Assert.StartsWith("Variable 1 'API_KEY': enter a value.", Assert.Single(saved.Result.Errors!["Variables[0].Value"]));
    }

    [Fact]
    public async Task A_variable_scoped_to_a_missing_environment_is_refused()
    {
        var input = Input("Shop");
        input.Variables = [Variable("MODE", "fast", environmentId: 42)];

        var saved = await _projects.CreateAsync(input);

        Assert.Equal(["Variable 1 'MODE': environment 42 does not exist."], saved.Result.Errors!["Variables[0].EnvironmentId"]);
    }

    [Fact]
    public async Task SetEnabledAsync_disables_the_project_and_records_Modified()
    {
        var project = await _projects.SaveNewAsync(Input("Shop"));

        var saved = await _projects.SetEnabledAsync(project.Id, false);

        Assert.False(saved.Value!.IsEnabled);
        Assert.False(Assert.Single(await _projects.ListAsync()).IsEnabled);
        await using var db = _database.CreateDbContext();
        Assert.True(await db.Events.AnyAsync(e => e.ProjectId == project.Id && e.Category == EventCategories.Modified));
    }

    [Fact]
    public async Task DeleteAsync_removes_the_project_with_its_releases_and_records_Deleted()
    {
        var project = await _projects.SaveNewAsync(Input("Shop", Step("Deploy", "web")));
        await ReleaseService(_database, _database.Time).CreateAsync(project.Id, new ReleaseInput { Version = "1.0.0" });

        var deleted = await _projects.DeleteAsync(project.Id);

        Assert.True(deleted.Succeeded);
        await using var db = _database.CreateDbContext();
        Assert.False(await db.Releases.AnyAsync());
        Assert.True(await db.Events.AnyAsync(e => e.ProjectId == project.Id && e.Category == EventCategories.Deleted));
    }

    [Fact]
    public async Task DeleteAsync_is_refused_while_a_deployment_of_the_project_is_queued()
    {
        var project = await _projects.SaveNewAsync(Input("Shop", Step("Deploy", "web")));
        var release = await ReleaseService(_database, _database.Time).CreateAsync(project.Id, new ReleaseInput { Version = "1.0.0" });
        await QueueDeploymentAsync(project.Id, release.Value!.Id);

        var deleted = await _projects.DeleteAsync(project.Id);

        Assert.Equal(SaveStatus.Conflict, deleted.Status);
        Assert.NotNull(await _projects.GetAsync(project.Id));
    }

    [Fact]
    public async Task ListAsync_shows_the_step_count_and_the_latest_release_by_semver()
    {
        var project = await _projects.SaveNewAsync(Input("Shop", Step("Deploy", "web"), Step("Migrate", "db")));
        var releases = ReleaseService(_database, _database.Time);
        foreach (var version in new[] { "1.10.0", "1.9.0" })
        {
            await releases.CreateAsync(project.Id, new ReleaseInput { Version = version });
        }

        var summary = Assert.Single(await _projects.ListAsync());

        Assert.Equal((2, "1.10.0"), (summary.StepCount, summary.LatestReleaseVersion));
    }

    private async Task<Event> SingleEventAsync(int projectId)
    {
        await using var db = _database.CreateDbContext();
        return await db.Events.SingleAsync(e => e.ProjectId == projectId);
    }

    private async Task QueueDeploymentAsync(int projectId, int releaseId)
    {
        await using var db = _database.CreateDbContext();
        var environment = DeploymentEnvironment.Create("Production", null, 0);
        db.Environments.Add(environment);
        await db.SaveChangesAsync();
        var project = await db.Projects.SingleAsync(p => p.Id == projectId);
        var release = await db.Releases.SingleAsync(r => r.Id == releaseId);
        db.Deployments.Add(Deployment.Queue(project, release, environment, [], "test", null, _database.Time.GetUtcNow()));
        await db.SaveChangesAsync();
    }
}
