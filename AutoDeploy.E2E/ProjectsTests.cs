using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class ProjectsTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_project_created_in_the_browser_gets_a_step_with_a_role_and_a_script()
    {
        await using var session = await fixture.NewSessionAsync();
        var projects = new ProjectsPageObject(session.Page);
        var name = Unique("Shop");
        await projects.GotoListAsync();

        await projects.AddProjectAsync(name);
        await Expect(projects.Heading(name)).ToBeVisibleAsync();
        await projects.AddStepAsync("Deploy", role: "web", script: "echo deploying");
        await projects.SaveAsync();
        await Expect(projects.Saved(name)).ToBeVisibleAsync();
        await projects.ReloadAsync();

        await Expect(projects.StepRows).ToHaveCountAsync(1);
        await Expect(projects.StepRows).ToContainTextAsync("Deploy");
        await Expect(projects.StepRows).ToContainTextAsync("web");
    }

    [Fact]
    public async Task A_step_without_a_role_shows_the_message_beside_its_roles_field()
    {
        var (id, _) = await CreateProjectAsync(withStep: false);
        await using var session = await fixture.NewSessionAsync();
        var projects = new ProjectsPageObject(session.Page);
        await projects.GotoAsync(id);

        await projects.OpenAddStepDialogAsync();
        await projects.StepNameField.FillAsync("Migrate");
        await Expect(projects.StepNameField).ToHaveValueAsync("Migrate");
        await projects.FillStepScriptAsync("echo migrating");
        await projects.SaveStepAsync();

        await Expect(projects.StepRolesField).ToContainTextAsync("Step 1 'Migrate': choose at least one role.");
    }

    [Fact]
    public async Task A_sensitive_variable_is_masked_after_reload()
    {
        var (id, name) = await CreateProjectAsync(withStep: true);
        await using var session = await fixture.NewSessionAsync();
        var projects = new ProjectsPageObject(session.Page);
        await projects.GotoAsync(id);

        await projects.OpenTabAsync("Variables");
        await projects.AddVariableAsync("DB_PASSWORD", "s3cret-e2e", sensitive: true);
        await projects.SaveAsync();
        await Expect(projects.Saved(name)).ToBeVisibleAsync();
        await projects.ReloadAsync();
        await projects.OpenTabAsync("Variables");

        var value = projects.VariableValue(0);
        await Expect(value).ToHaveAttributeAsync("type", "password");
        await Expect(value).ToHaveValueAsync("********");
        Assert.DoesNotContain("s3cret-e2e", await session.Page.ContentAsync());
    }

    [Fact]
    public async Task Release_1_0_0_created_in_the_browser_is_listed()
    {
        var (id, _) = await CreateProjectAsync(withStep: true);
        await using var session = await fixture.NewSessionAsync();
        var projects = new ProjectsPageObject(session.Page);
        await projects.GotoAsync(id);

        await projects.OpenTabAsync("Releases");
        await projects.OpenCreateReleaseDialogAsync();
        await Expect(projects.ReleaseVersionField).ToHaveValueAsync("0.0.1");
        await projects.CreateReleaseAsync("1.0.0", notes: "First release");

        await Expect(projects.ReleaseLink("1.0.0")).ToBeVisibleAsync();
        await Expect(projects.ReleasesTable).ToContainTextAsync("First release");
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..16];

    /// <summary>Arranges a project through the API, as CI would.</summary>
    private async Task<(int Id, string Name)> CreateProjectAsync(bool withStep)
    {
        using var api = fixture.CreateApiClient();
        var name = Unique("Shop");
        return (await api.CreateProjectAsync(name, withStep ? "echo hi" : null), name);
    }
}
