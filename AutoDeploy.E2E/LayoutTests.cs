using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>On a phone the navigation is behind a menu button; unknown addresses get the app's Not found page.</summary>
[Collection("e2e")]
public sealed class LayoutTests(E2EFixture fixture)
{
    private const int PhoneWidth = 390;

    [Fact]
    public async Task On_a_phone_the_menu_button_opens_the_navigation()
    {
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.SetViewportSizeAsync(PhoneWidth, 844);
        await page.GotoInteractiveAsync("/");
        var projects = page.GetByTestId("drawer").GetByRole(AriaRole.Link, new() { Name = "Projects" });
        await Expect(projects).Not.ToBeInViewportAsync();
        // The drawer starts open and closes itself once the circuit has measured the window: a click before that
        // would toggle it closed. A person cannot click that fast; the test waits for the button to say "closed".
        var menu = page.GetByTestId("menu-button");
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");

        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await projects.ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Projects");
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "phone-projects.png"), FullPage = true });
    }

    [Fact]
    public async Task Keyboard_focus_is_drawn_around_buttons_and_links()
    {
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync("/");

        var outlines = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            outlines.Add(await page.EvaluateAsync<string>(
                "() => { const e = document.activeElement; const s = getComputedStyle(e); return `${e.tagName} ${s.outlineStyle} ${s.outlineWidth}`; }"));
        }

        Assert.All(outlines, outline => Assert.EndsWith("solid 2px", outline));
    }

    [Fact]
    public async Task Times_are_shown_in_the_viewers_time_zone_with_utc_on_hover()
    {
        await using var session = await fixture.NewSessionAsync();
        await using var inKolkata = await fixture.Browser.NewContextAsync(new()
        {
            BaseURL = fixture.BaseUrl, StorageState = await session.Context.StorageStateAsync(), TimezoneId = "Asia/Kolkata",
        });
        var page = await inKolkata.NewPageAsync();
        await page.GotoInteractiveAsync("/audit");

        var time = page.Locator("time").First;
        await Expect(time).Not.ToContainTextAsync("UTC");
        var utc = DateTime.ParseExact(await time.GetAttributeAsync("title") ?? "", "yyyy-MM-dd HH:mm:ss.fff 'UTC'",
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        await Expect(time).ToHaveTextAsync(utc.AddHours(5.5).ToString("d MMM yyyy, HH:mm:ss", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_unknown_address_shows_the_apps_not_found_page_with_status_404()
    {
        await using var session = await fixture.NewSessionAsync();

        var response = await session.Page.GotoAsync("/no-such-page");

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Expect(session.Page.Locator("h1")).ToHaveTextAsync("Not found");
        await Expect(session.Page).ToHaveTitleAsync("Not found · AutoDeploy");
    }
}
