using System.Net.Http.Json;

namespace AutoDeploy.Bench;

public sealed record MemoryRow(string State, long WorkingSet, long Delta, int Units);

/// <summary>
/// The server's working set (its own process): started and idle, then with N agents long-polling, then with M
/// signed-in browser circuits open on <c>/</c> as well.
/// </summary>
public static class MemoryBench
{
    public static async Task<List<MemoryRow>> RunAsync(int agents, int circuits, TimeSpan settle, TextWriter progress)
    {
        await using var server = await ServerProcess.StartAsync();
        using var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", BenchServer.AdminApiKey);
        (await api.PostAsJsonAsync("/api/environments", new { name = "Production" })).EnsureSuccessStatusCode();
        (await api.GetAsync("/api/machines")).EnsureSuccessStatusCode();
        (await api.GetAsync("/")).EnsureSuccessStatusCode();
        await Task.Delay(settle);
        var rows = new List<MemoryRow> { new("started, idle", server.WorkingSet, 0, 0) };
        progress.WriteLine($"memory: idle server {ResultTable.MiB(rows[^1].WorkingSet)} MiB; starting {agents:N0} agents...");

        using var http = BenchAgent.CreateHttpClient();
        using var stop = new CancellationTokenSource();
        var fleet = Enumerable.Range(1, agents).Select(i => new BenchAgent(server.BaseUrl, http, $"web-{i:D5}")).ToList();
        var running = await BenchAgent.ConnectInGroupsAsync(fleet, "Production", 100, api, TimeSpan.FromMinutes(2), stop.Token);
        await Task.Delay(settle);
        var connected = await BenchApi.HealthyMachinesAsync(api);
        Add(rows, $"{connected:N0} agents connected (long polls held)", server.WorkingSet, connected);
        progress.WriteLine($"memory: with agents {ResultTable.MiB(rows[^1].WorkingSet)} MiB; opening {circuits} circuits...");

        await using (var browser = await BenchBrowser.LaunchAsync())
        {
            var context = await browser.SignedInContextAsync(server.BaseUrl, BenchServer.AdminEmail, BenchServer.AdminPassword);
            var opened = 0;
            foreach (var group in Enumerable.Range(0, circuits).Chunk(10))
            {
                await Task.WhenAll(group.Select(async _ =>
                {
                    var page = await context.NewPageAsync();
                    await page.GotoAsync("/");
                    await BenchBrowser.WaitForInteractiveAsync(page);
                    Interlocked.Increment(ref opened);
                }));
            }
            await Task.Delay(settle);
            Add(rows, $"+ {opened} browser circuits on / (agents still connected)", server.WorkingSet, opened);
            await context.DisposeAsync();
        }
        await stop.CancelAsync();
        await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        return rows;
    }

    public static ResultTable Table(IReadOnlyList<MemoryRow> rows)
    {
        var table = new ResultTable("Memory: the server process's working set (RSS)", "state", "working set MiB", "change MiB", "per unit KiB");
        foreach (var r in rows)
        {
            table.Add(r.State, ResultTable.MiB(r.WorkingSet), ResultTable.MiB(r.Delta),
                r.Units == 0 ? "" : (r.Delta / 1024.0 / r.Units).ToString("0", System.Globalization.CultureInfo.InvariantCulture));
        }
        table.Notes.Add("AutoDeploy.Web.dll in its own process with its default (server) GC; nothing forces a collection, so the numbers are what the OS sees.");
        return table;
    }

    private static void Add(List<MemoryRow> rows, string state, long workingSet, int units) =>
        rows.Add(new MemoryRow(state, workingSet, workingSet - rows[^1].WorkingSet, units));
}
