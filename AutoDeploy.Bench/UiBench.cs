using System.Diagnostics;
using System.Text.Json;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Workers;
using Microsoft.Playwright;

namespace AutoDeploy.Bench;

/// <summary>
/// One screen: time to the first rows on navigation (cold and warm), to the whole prerendered page received (the server's
/// part of the first rows), to the circuit, and to each next page.
/// </summary>
public sealed record UiRow(string Screen, string Data, TimeSpan ColdFirstRows, Percentiles FirstRows, Percentiles Response, Percentiles Interactive,
    Percentiles NextPage);

/// <summary>The lists of a big fleet in Chromium: deployment targets, the audit log, the activity feed and fleet drift.</summary>
public static class UiBench
{
    private static readonly Dictionary<string, string?> Quiet = new() { ["HealthChecks:TickInterval"] = "1.00:00:00" };

    public static async Task<List<UiRow>> RunAsync(int machines, int events, int repeats, TextWriter progress)
    {
        await using var server = BenchServer.Start(Quiet, typeof(AutoDeployWorker), typeof(TaskWorker));
        var watch = Stopwatch.StartNew();
        // The fleet's seed: machines, 5 projects with deployments and decisions, and the event history on top.
        var seed = await FleetBenchData.SeedAsync(server, machines, 5, events, progress);
        var total = seed.Events;
        progress.WriteLine($"ui: {machines:N0} machines and {total:N0} events seeded in {watch.Elapsed.TotalSeconds:0.0} s; opening Chromium...");

        await using var browser = await BenchBrowser.LaunchAsync();
        var context = await browser.SignedInContextAsync(server.BaseUrl, BenchServer.AdminEmail, BenchServer.AdminPassword);
        var rows = new List<UiRow>
        {
            await MeasureAsync(context, "Deployment targets (/machines)", $"{machines:N0} machines", "/machines",
                ".machines-table tbody tr:has(td[data-label='Name'] a)", repeats),
            await MeasureAsync(context, "Audit log (/audit)", $"{total:N0} events", "/audit",
                "[data-testid='audit-table'] tbody tr:has(td[data-label='Category'])", repeats),
            await MeasureAsync(context, "Activity (/activity)", $"{total:N0} events", "/activity", ".activity-item", repeats, next: null),
            await MeasureAsync(context, "Fleet drift (/fleet)", $"{seed.Machines:N0} machines × {seed.Projects} projects", "/fleet",
                "[data-testid='fleet-row']", repeats),
        };
        await context.DisposeAsync();
        return rows;
    }

    /// <param name="next">The button that shows the next page, or null for a screen that has none (the activity feed loads older items below).</param>
    private static async Task<UiRow> MeasureAsync(IBrowserContext context, string screen, string data, string path, string rows, int repeats,
        string? next = "Next page")
    {
        var firstRows = new List<TimeSpan>();
        var response = new List<TimeSpan>();
        var interactive = new List<TimeSpan>();
        var nextPage = new List<TimeSpan>();
        for (var visit = 0; visit <= repeats; visit++)
        {
            var page = await context.NewPageAsync();
            await page.AddInitScriptAsync($"window.__rows = {JsonSerializer.Serialize(rows)};" + FirstRowsScript);
            var start = Stopwatch.GetTimestamp();
            await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator(rows).First.WaitForAsync();
            await page.WaitForFunctionAsync("window.__firstRowsAt !== undefined");
            firstRows.Add(TimeSpan.FromMilliseconds(await page.EvaluateAsync<double>("window.__firstRowsAt")));
            response.Add(TimeSpan.FromMilliseconds(await page.EvaluateAsync<double>("performance.getEntriesByType('navigation')[0].responseEnd")));
            await BenchBrowser.WaitForInteractiveAsync(page);
            interactive.Add(Stopwatch.GetElapsedTime(start));
            if (visit > 0 && next is not null)
            {
                nextPage.Add(await NextPageAsync(page, rows, next));
            }
            await page.CloseAsync();
        }
        // The first visit pays the first render of the screen's components; the others show a warm server.
        return new UiRow(screen, data, firstRows[0], Percentiles.Of(firstRows.Skip(1)), Percentiles.Of(response.Skip(1)),
            Percentiles.Of(interactive.Skip(1)), Percentiles.Of(nextPage));
    }

    /// <summary>
    /// Notes, in the page, when the first row is drawn: the first animation frame after it is in the document, in ms since
    /// the navigation began. Playwright's own wait polls, at up to half a second apart across a navigation, so it said
    /// 0.6–0.9 s where the rows were on screen at 0.2–0.4 s.
    /// </summary>
    private const string FirstRowsScript = """
        new MutationObserver((_, observer) => {
            if (document.querySelector(window.__rows)) {
                observer.disconnect();
                requestAnimationFrame(() => { window.__firstRowsAt = performance.now(); });
            }
        }).observe(document, { childList: true, subtree: true });
        """;

    private static async Task<TimeSpan> NextPageAsync(IPage page, string rows, string next)
    {
        var first = page.Locator(rows).First;
        var before = await first.InnerTextAsync();
        var start = Stopwatch.GetTimestamp();
        await page.GetByRole(AriaRole.Button, new() { Name = next }).ClickAsync();
        await Assertions.Expect(first).Not.ToHaveTextAsync(before, new() { Timeout = 120_000 });
        return Stopwatch.GetElapsedTime(start);
    }

    public static ResultTable Table(IReadOnlyList<UiRow> rows)
    {
        var table = new ResultTable("UI in Chromium: navigation → first rows, → prerendered page received, → interactive circuit; click → next page",
            "screen", "data", "cold first rows ms", "first rows p50 ms", "page received p50 ms", "interactive p50 ms", "next page p50 ms",
            "next page max ms");
        foreach (var r in rows)
        {
            table.Add(r.Screen, r.Data, ResultTable.Ms(r.ColdFirstRows), ResultTable.Ms(r.FirstRows.P50), ResultTable.Ms(r.Response.P50),
                ResultTable.Ms(r.Interactive.P50),
                r.NextPage.Count == 0 ? "—" : ResultTable.Ms(r.NextPage.P50), r.NextPage.Count == 0 ? "—" : ResultTable.Ms(r.NextPage.Max));
        }
        return table;
    }
}
