using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using System.Diagnostics;
using AutoDeploy.Domain.Fleet;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Feed;
using AutoDeploy.Web.Fleet;
using AutoDeploy.Web.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Bench;

/// <summary>
/// One page asked for: the rows of its filter, those on the page, the SQL commands one page took, the time per page and
/// this process's CPU time per page (the server's work, whatever else the machine runs).
/// </summary>
public sealed record FleetTiming(string Page, int Matching, int Rows, int Queries, Percentiles Time, Percentiles Cpu);

public sealed record FleetResult(FleetSeed Seed, IReadOnlyList<FleetTiming> Pages, DriftCounts Counts);

/// <summary>
/// Fleet drift over a big fleet (issue 16: 10,000 machines × 5 projects page in under 300 ms): the seeded fleet of
/// <see cref="FleetBenchData"/>, then pages of <see cref="FleetService.QueryAsync"/> from the server's container, warm,
/// each in a new scope as a request would, and the same first page through <c>GET /api/fleet</c> on Kestrel.
/// </summary>
public static class FleetBench
{
    private const int WarmUp = 3;
    private static readonly Dictionary<string, string?> Quiet = new() { ["HealthChecks:TickInterval"] = "1.00:00:00" };

    public static async Task<FleetResult> RunAsync(int machines, int projects, int history, int repeats, TextWriter progress)
    {
        // Nothing else reads while pages are timed: the engine would act on the seeded machines, and the live feed would be
        // catching up with the history just appended.
        await using var server = BenchServer.Start(Quiet, typeof(AutoDeployWorker), typeof(TaskWorker), typeof(ActivityFeedWorker));
        var watch = Stopwatch.StartNew();
        var seed = await FleetBenchData.SeedAsync(server, machines, projects, history, progress);
        progress.WriteLine($"fleet: seeded in {watch.Elapsed.TotalSeconds:0.0} s ({seed.Deployments:N0} deployments, {seed.Targets:N0} targets, " +
                           $"{seed.Events:N0} events); measuring {repeats} pages each...");
        var first = await QueryAsync(server, new FleetQuery());
        FleetCursor.TryParse(first.NextAfter, out var next);
        var pages = new List<FleetTiming>
        {
            await MeasureAsync(server, "first page", new FleetQuery(), repeats),
            await MeasureAsync(server, "next page (after=)", new FleetQuery(After: next), repeats),
            await MeasureAsync(server, "state=Behind", new FleetQuery(State: DriftState.Behind), repeats),
            await MeasureAsync(server, "Staging, first project", new FleetQuery(seed.StagingId, ProjectId: seed.FirstProjectId), repeats),
            await MeasureAsync(server, "role=worker, state=NotCovered", new FleetQuery(Role: "worker", State: DriftState.NotCovered), repeats),
            await MeasureHttpAsync(server, "GET /api/fleet (HTTP, JSON)", first.Total, repeats),
        };
        return new FleetResult(seed, pages, first.Counts);
    }

    private static async Task<FleetList> QueryAsync(BenchServer server, FleetQuery query)
    {
        await using var scope = server.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentAccess>().Use(Access.System);
        return await scope.ServiceProvider.GetRequiredService<FleetService>().QueryAsync(query);
    }

    private static async Task<FleetTiming> MeasureAsync(BenchServer server, string name, FleetQuery query, int repeats)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await QueryAsync(server, query);
        }
        FleetList page;
        int queries;
        using (var counter = new SqlCommandCounter())
        {
            page = await QueryAsync(server, query);
            queries = counter.Count;
        }
        var times = new List<TimeSpan>();
        var cpu = new List<TimeSpan>();
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < repeats; i++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            await QueryAsync(server, query);
            times.Add(Stopwatch.GetElapsedTime(start));
            process.Refresh();
            cpu.Add(process.TotalProcessorTime - cpuStart);
        }
        return new FleetTiming(name, page.Total, page.Rows.Count, queries, Percentiles.Of(times), Percentiles.Of(cpu));
    }

    private static async Task<FleetTiming> MeasureHttpAsync(BenchServer server, string name, int matching, int repeats)
    {
        using var client = server.CreateApiClient();
        var times = new List<TimeSpan>();
        var cpu = new List<TimeSpan>();
        using var process = Process.GetCurrentProcess();
        var rows = 0;
        for (var i = -WarmUp; i < repeats; i++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync("/api/fleet");
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsStringAsync();
            if (i >= 0)
            {
                times.Add(Stopwatch.GetElapsedTime(start));
                process.Refresh();
                cpu.Add(process.TotalProcessorTime - cpuStart);
            }
            rows = body.Split("\"cursor\"").Length - 1;
        }
        return new FleetTiming(name, matching, rows, 0, Percentiles.Of(times), Percentiles.Of(cpu));
    }

    public static IReadOnlyList<ResultTable> Tables(FleetResult result)
    {
        var seed = result.Seed;
        var pages = new ResultTable($"Fleet drift: a page of {seed.Machines:N0} machines × {seed.Projects} projects (FleetService.QueryAsync, warm)",
            "page", "rows in filter", "rows on page", "SQL commands", "p50 ms", "p95 ms", "max ms", "CPU p50 ms");
        foreach (var p in result.Pages)
        {
            pages.Add(p.Page, p.Matching, p.Rows, p.Queries == 0 ? "" : p.Queries.ToString(), ResultTable.Ms(p.Time.P50), ResultTable.Ms(p.Time.P95),
                ResultTable.Ms(p.Time.Max), ResultTable.Ms(p.Cpu.P50));
        }
        pages.Notes.Add($"{seed.Deployments:N0} deployments, {seed.Targets:N0} deployment targets, {seed.Events:N0} events in the table; " +
                        $"{result.Pages.FirstOrDefault()?.Time.Count ?? 0} timed pages each after {WarmUp} warm-up pages.");
        var counts = new ResultTable("Fleet drift: rows per state (no filter)", "state", "rows");
        foreach (var state in Enum.GetValues<DriftState>())
        {
            counts.Add(state.ToString(), result.Counts.Of(state));
        }
        counts.Add("all", result.Counts.Total);
        return [pages, counts];
    }
}
