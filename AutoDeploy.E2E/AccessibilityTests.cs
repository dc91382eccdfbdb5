using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>
/// Every screen with real data, signed in and out, at desktop width and at 390 px: one h1 and a document title
/// "&lt;Page&gt; · AutoDeploy"; axe-core (WCAG 2.0 and 2.1, A and AA rules) finds no serious or critical violation; at
/// 390 px no page is wider than the window. Each page is loaded once and then narrowed in place, as a phone turned
/// sideways would be, so the walk costs one page load per screen.
/// </summary>
[Collection("e2e")]
public sealed class AccessibilityTests(E2EFixture fixture)
{
    private const int PhoneWidth = 390;

    [Fact]
    public async Task Every_page_has_its_h1_and_title_and_no_serious_violation_at_desktop_and_phone_width()
    {
        var routes = await AppRoutes.ArrangeAsync(fixture);
        var found = new List<string>();

        await using (var session = await fixture.NewSessionAsync())
        {
            await Axe.LoadIntoAsync(session.Context);
            Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
            foreach (var (path, heading, documentTitle, screenshot) in routes)
            {
                await session.Page.SetViewportSizeAsync(1280, 800);
                await session.Page.GotoInteractiveAsync(path);
                await Expect(session.Page.Locator("h1")).ToHaveTextAsync(heading);
                await Expect(session.Page).ToHaveTitleAsync($"{documentTitle ?? heading} · AutoDeploy");
                found.AddRange(await ProblemsAsync(session.Page, path, 1280));
                found.AddRange(await SqueezedReasonsAsync(session.Page, path));

                await NarrowAsync(session.Page);
                found.AddRange(await ProblemsAsync(session.Page, path, PhoneWidth));
                if (screenshot is not null)
                {
                    var file = Path.Combine(E2EFixture.ScreenshotFolder, $"phone-{screenshot}.png");
                    await session.Page.ScreenshotAsync(new() { Path = file, FullPage = true });
                }
            }
        }
        await using (var signedOut = await fixture.NewAnonymousSessionAsync())
        {
            await Axe.LoadIntoAsync(signedOut.Context);
            foreach (var path in new[] { "/account/login", "/account/access-denied" })
            {
                await signedOut.Page.SetViewportSizeAsync(1280, 800);
                await signedOut.Page.GotoAsync(path);
                found.AddRange(await ProblemsAsync(signedOut.Page, path, 1280));
                await signedOut.Page.SetViewportSizeAsync(PhoneWidth, 844);
                found.AddRange(await ProblemsAsync(signedOut.Page, path, PhoneWidth));
            }
        }

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public async Task The_walk_would_see_a_violation_if_a_page_had_one()
    {
        await using var session = await fixture.NewAnonymousSessionAsync();
        await Axe.LoadIntoAsync(session.Context);
        await session.Page.GotoAsync("/account/login");
        Assert.Empty(await Axe.SeriousViolationsAsync(session.Page));

        await session.Page.EvaluateAsync("""
            () => document.querySelector('h1').insertAdjacentHTML('afterend',
                '<p id="pale" style="color:#ffffff;background:#ffeb3b">white on yellow</p>')
            """);

        var violation = Assert.Single(await Axe.SeriousViolationsAsync(session.Page));
        Assert.StartsWith("color-contrast (serious) #pale", violation);
    }

    /// <summary>
    /// Decisions' reasons (on the dashboard, a machine, a trigger) at desktop width taller than three lines: the column
    /// squeezed by its neighbours until a sentence reads as a column of words.
    /// </summary>
    private static async Task<IEnumerable<string>> SqueezedReasonsAsync(IPage page, string path)
    {
        var lines = await page.Locator(".decision-reason").EvaluateAllAsync<double[]>(
            """
            cells => cells.map(c => {
                const style = getComputedStyle(c);
                const content = c.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
                return content / parseFloat(style.lineHeight);
            })
            """);
        return lines.Where(n => n > 3.5).Select(n => $"{path}: a decision's reason takes {n:0} lines at 1280 px");
    }

    /// <summary>Phone size; the drawer has closed behind the menu button once the circuit has seen the new width.</summary>
    private static async Task NarrowAsync(IPage page)
    {
        await page.SetViewportSizeAsync(PhoneWidth, 844);
        await Expect(page.GetByTestId("menu-button")).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.GetByTestId("drawer").GetByRole(AriaRole.Link, new() { Name = "Projects" })).Not.ToBeInViewportAsync();
    }

    /// <summary>Not exactly one h1, axe's serious and critical violations, and at phone width a page wider than the window.</summary>
    private static async Task<IEnumerable<string>> ProblemsAsync(IPage page, string path, int width)
    {
        var problems = new List<string>();
        if (await page.Locator("h1").CountAsync() is var h1s and not 1)
        {
            problems.Add($"{path} at {width} px: {h1s} h1");
        }
        if (width == PhoneWidth && await page.EvaluateAsync<int>("document.documentElement.scrollWidth") is var wide and > PhoneWidth)
        {
            problems.Add($"{path}: {wide} px wide at {PhoneWidth} px");
        }
        problems.AddRange((await Axe.SeriousViolationsAsync(page)).Select(violation => $"{path} at {width} px: {violation}"));
        return problems;
    }
}
