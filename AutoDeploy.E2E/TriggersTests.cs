using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class TriggersTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_trigger_added_from_the_project_page_is_listed_with_its_group_and_role()
    {
        var projectId = await CreateProjectAsync();
        var name = Unique("Web servers");
        await using var session = await fixture.NewSessionAsync();
        var triggers = new TriggersPageObject(session.Page);
        await triggers.GotoListAsync(projectId);

        await triggers.OpenAddAsync(projectId);
        await triggers.NameField.FillAsync(name);
        await triggers.EventGroup("MachineAvailableForDeployment").CheckAsync();
        await triggers.AddRoleAsync("web");
        await Expect(triggers.Roles).ToContainTextAsync("web");
        await triggers.SaveAsync();
        await Expect(triggers.Saved(name)).ToBeVisibleAsync();
        await triggers.GotoListAsync(projectId);

        var row = triggers.Row(name);
        await Expect(row).ToContainTextAsync("MachineAvailableForDeployment");
        await Expect(row).ToContainTextAsync("roles web");
    }

    [Fact]
    public async Task A_trigger_with_no_events_shows_the_message_beside_the_events()
    {
        var projectId = await CreateProjectAsync();
        await using var session = await fixture.NewSessionAsync();
        var triggers = new TriggersPageObject(session.Page);
        await triggers.GotoNewAsync(projectId);

        await triggers.NameField.FillAsync(Unique("No events"));
        await triggers.EventGroup("MachineAvailableForDeployment").UncheckAsync();
        await triggers.SaveAsync();

        await Expect(triggers.EventsError).ToHaveTextAsync("Choose at least one event group or category.");
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    /// <summary>Arranges a project through the API, as CI would.</summary>
    private async Task<int> CreateProjectAsync()
    {
        using var api = fixture.CreateApiClient();
        return await api.CreateProjectAsync(Unique("Shop"), "echo hi");
    }
}
