using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class EnvironmentsTests(E2EFixture fixture)
{
    [Fact]
    public async Task The_add_dialog_opens_on_its_first_field_says_nothing_until_it_is_left_keeps_the_focus_and_closes_with_Escape()
    {
        await using var session = await fixture.NewSessionAsync();
        var environments = new EnvironmentsPageObject(session.Page);
        await environments.GotoAsync();

        await environments.OpenAddDialogAsync();
        await Expect(environments.NameField).ToBeFocusedAsync();
        await Expect(environments.Dialog).Not.ToContainTextAsync("is required");

        await session.Page.Keyboard.PressAsync("Tab");
        await Expect(environments.Dialog).ToContainTextAsync("Name is required.");
        for (var i = 0; i < 6; i++)
        {
            await session.Page.Keyboard.PressAsync("Tab");
            await Expect(environments.Dialog.Locator(":focus")).ToHaveCountAsync(1);
        }
        await session.Page.Keyboard.PressAsync("Escape");
        await Expect(environments.Dialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_environment_is_added_with_the_keyboard_alone()
    {
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        var environments = new EnvironmentsPageObject(page);
        var name = $"Keyboard-{Guid.NewGuid():N}";
        await environments.GotoAsync();

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Add environment", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(environments.NameField).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(name);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(environments.Dialog.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Save", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(environments.Row(name)).ToBeVisibleAsync();
        await Expect(environments.Dialog).ToHaveCountAsync(0);
    }

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
