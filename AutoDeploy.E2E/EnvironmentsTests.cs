using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class EnvironmentsTests(E2EFixture fixture)
{
    [Fact]
    public async Task Saving_an_empty_name_shows_the_message_beside_the_field()
    {
        await using var session = await fixture.NewSessionAsync();
        var environments = new EnvironmentsPageObject(session.Page);
        await environments.GotoAsync();

        await environments.OpenAddDialogAsync();
        await environments.SaveAsync();

        await Expect(environments.Dialog).ToContainTextAsync("Name is required.");
    }

    [Fact]
    public async Task An_administrator_creates_renames_and_deletes_an_environment()
    {
        await using var session = await fixture.NewSessionAsync();
        var environments = new EnvironmentsPageObject(session.Page);
        var name = $"Created-{Guid.NewGuid():N}";
        var renamed = $"Renamed-{Guid.NewGuid():N}";
        await environments.GotoAsync();

        await environments.AddAsync(name);
        await Expect(environments.Row(name)).ToBeVisibleAsync();

        await environments.OpenEditDialogAsync(name);
        await environments.NameField.FillAsync(renamed);
        await environments.SaveAsync();
        await Expect(environments.Row(renamed)).ToBeVisibleAsync();
        await Expect(environments.Row(name)).ToHaveCountAsync(0);

        await environments.DeleteAsync(renamed);
        await Expect(environments.Row(renamed)).ToHaveCountAsync(0);
    }
}
