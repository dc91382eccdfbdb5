using System.Diagnostics;
using Microsoft.Playwright;

namespace AutoDeploy.Bench;

/// <summary>One page and count: commit → event shown, over every page and event; and how long the commits took.</summary>
public sealed record FeedRow(string Path, int Pages, int Events, int Shown, Percentiles Latency, Percentiles Commit);

/// <summary>
/// Issue 6's "event committed → shown in an open browser page": K signed-in Chromium pages on a screen with the live
/// feed, then M environments created one at a time through the server's own DbContext (its SaveChangesAsync wakes the
/// feed). Each page records, in a MutationObserver, the wall-clock time the event's row is added to its DOM; the clock
/// starts when SaveChangesAsync returns (the commit is done) on the same machine's wall clock.
/// </summary>
public static class FeedBench
{
    /// <summary>Records the first time a feed row's message contains a marker, keyed by marker, in the page's wall-clock ms.</summary>
    private const string Observer = """
        () => {
            window.__feedSeen = {};
            const record = () => {
                const now = performance.timeOrigin + performance.now();
                for (const message of document.querySelectorAll('.activity-item .activity-message')) {
                    const match = /feedbench-[0-9a-z-]+/.exec(message.textContent);
                    if (match && !(match[0] in window.__feedSeen)) {
                        window.__feedSeen[match[0]] = now;
                    }
                }
            };
            new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true });
        }
        """;

    public static async Task<List<FeedRow>> RunAsync(IReadOnlyList<string> paths, IReadOnlyList<int> pageCounts, int events, TextWriter progress)
    {
        await using var server = BenchServer.Start();
        var data = new BenchData(server.Db);
        await using var browser = await BenchBrowser.LaunchAsync();
        var rows = new List<FeedRow>();
        foreach (var path in paths)
        {
            foreach (var count in pageCounts)
            {
                var context = await browser.SignedInContextAsync(server.BaseUrl, BenchServer.AdminEmail, BenchServer.AdminPassword);
                var pages = await OpenAsync(context, path, count);
                // One unmeasured event first: the first render of a feed row and the first publish pay for JIT and caches.
                await CommitAndWaitAsync(data, pages, $"feedbench-warmup-{Guid.NewGuid():N}"[..28]);
                var latencies = new List<TimeSpan>();
                var commits = new List<TimeSpan>();
                var shown = 0;
                for (var i = 0; i < events; i++)
                {
                    var (commit, seen) = await CommitAndWaitAsync(data, pages, $"feedbench-{i:D3}-{Guid.NewGuid():N}"[..24]);
                    commits.Add(commit);
                    latencies.AddRange(seen);
                    shown += seen.Count;
                }
                rows.Add(new FeedRow(path, count, events, shown, Percentiles.Of(latencies), Percentiles.Of(commits)));
                progress.WriteLine($"feed: {path} with {count} page(s): p50 {ResultTable.Ms(rows[^1].Latency.P50)} ms, max {ResultTable.Ms(rows[^1].Latency.Max)} ms");
                await context.DisposeAsync();
            }
        }
        return rows;
    }

    private static async Task<List<IPage>> OpenAsync(IBrowserContext context, string path, int count)
    {
        var pages = new List<IPage>();
        for (var i = 0; i < count; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(path);
            await BenchBrowser.WaitForInteractiveAsync(page);
            // The feed's history is loaded once "Loading..." has gone.
            await page.Locator("[data-testid='activity-feed']").First.WaitForAsync();
            await Assertions.Expect(page.GetByText("Loading...")).ToHaveCountAsync(0, new() { Timeout = 120_000 });
            await page.EvaluateAsync(Observer);
            pages.Add(page);
        }
        return pages;
    }

    /// <summary>Creates an environment named <paramref name="marker"/>; returns how long the commit took and, per page, commit → row shown.</summary>
    private static async Task<(TimeSpan Commit, List<TimeSpan> Seen)> CommitAndWaitAsync(BenchData data, IReadOnlyList<IPage> pages, string marker)
    {
        var start = Stopwatch.GetTimestamp();
        await data.AddEnvironmentAsync(marker);
        var committedAt = DateTime.UtcNow;
        var commit = Stopwatch.GetElapsedTime(start);
        var seen = new List<TimeSpan>();
        foreach (var page in pages)
        {
            var handle = await page.WaitForFunctionAsync("m => window.__feedSeen[m]", marker, new() { Timeout = 60_000 });
            var shownAt = await handle.JsonValueAsync<double>();
            seen.Add(DateTime.UnixEpoch.AddMilliseconds(shownAt) - committedAt);
        }
        return (commit, seen);
    }

    public static ResultTable Table(IReadOnlyList<FeedRow> rows)
    {
        var table = new ResultTable("Live feed: environment created (SaveChangesAsync returned) → its row in each open page's DOM",
            "page", "open pages", "events", "rows seen", "p50 ms", "p95 ms", "max ms", "commit p50 ms");
        foreach (var r in rows)
        {
            table.Add(r.Path, r.Pages, r.Events, r.Shown, ResultTable.Ms(r.Latency.P50), ResultTable.Ms(r.Latency.P95),
                ResultTable.Ms(r.Latency.Max), ResultTable.Ms(r.Commit.P50));
        }
        table.Notes.Add("Times are wall-clock: the server's DateTime.UtcNow after the commit, the page's performance.timeOrigin + now() in a MutationObserver.");
        return table;
    }
}
