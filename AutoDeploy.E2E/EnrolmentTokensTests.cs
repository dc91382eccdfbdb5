using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class EnrolmentTokensTests(E2EFixture fixture)
{
    [Fact]
    public async Task In_the_create_dialog_Escape_closes_an_open_list_first_and_then_the_dialog()
    {
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await new EnrolmentTokensPageObject(page).GotoAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Create token" }).OpenDialogAsync();
        var dialog = page.GetByRole(Microsoft.Playwright.AriaRole.Dialog);
        await dialog.Select("Machine policies").ClickAsync();
        var openList = page.Locator(".mud-popover-open");
        await Expect(openList).ToHaveCountAsync(1);

        await page.Keyboard.PressAsync("Escape");
        await Expect(openList).ToHaveCountAsync(0);
        await Expect(dialog).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_token_created_on_the_page_is_shown_once_registers_a_machine_and_is_refused_once_revoked()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var environment = $"E2E tokens {suffix}";
        var name = $"fleet {suffix}";
        using (var api = fixture.CreateApiClient())
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/environments", new { name = environment })).StatusCode);
        }
        await using var session = await fixture.NewSessionAsync();
        var tokens = new EnrolmentTokensPageObject(session.Page);
        await tokens.GotoAsync();

        await tokens.CreateAsync(name, environment, "web");
        await Expect(tokens.Secret).ToContainTextAsync("ENROL-");
        var secret = (await tokens.Secret.InnerTextAsync()).Trim();
        await Expect(tokens.Command).ToContainTextAsync($"--token {secret}");
        await Expect(tokens.Row(name)).ToContainTextAsync("Active");
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await session.Page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "enrolment-tokens.png"), FullPage = true });
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(secret, $"e2e-token-{suffix}", environment)).StatusCode);
        await tokens.GotoAsync();
        await Expect(tokens.Secret).ToHaveCountAsync(0);
        await Expect(tokens.Row(name)).ToContainTextAsync($"by e2e-token-{suffix}");

        await tokens.RevokeAsync(name);

        await Expect(tokens.Row(name)).ToContainTextAsync("Revoked");
        var refused = await RegisterAsync(secret, $"e2e-token-{suffix}-2", environment);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith($"The enrolment token '{name}' was revoked at ", problem.GetProperty("detail").GetString());
    }

    /// <summary>What the agent's register command sends, with the token alone.</summary>
    private async Task<HttpResponseMessage> RegisterAsync(string secret, string machine, string environment)
    {
        using var client = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Enrolment-Token", secret);
        var response = await client.PostAsJsonAsync("/api/machines/register", new { name = machine, environments = new[] { environment }, roles = new[] { "web" } });
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
