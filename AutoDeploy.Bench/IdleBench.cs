using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace AutoDeploy.Bench;

/// <summary>What N connected, idle agents cost the server, and how long it takes to tell all of them of a new job.</summary>
/// <param name="Connected">Agents whose machine was Healthy when the idle window began.</param>
/// <param name="IdleCpu">The server's CPU over the idle window, as a share of one core.</param>
/// <param name="PollsPerSecond">The agents' requests per second over the idle window.</param>
/// <param name="Queue">The health-check request: the run and its N jobs committed.</param>
/// <param name="Told">From the health-check request to each agent holding its job.</param>
public sealed record IdleRow(int Agents, int Connected, TimeSpan Registering, long IdleWorkingSet, long ConnectedWorkingSet, double IdleCpu,
    double PollsPerSecond, TimeSpan Queue, Percentiles Told, int TellCount);

/// <summary>
/// N protocol agents register (in groups, as a fleet scales) and keep long-polling a server in its own process. Then,
/// with nothing to do: the server's memory and CPU over a window. Then one health-check run of their environment
/// queues a job for every machine: the time until each agent holds its job.
/// </summary>
public static class IdleBench
{
    public static async Task<IdleRow> RunAsync(int count, TimeSpan settle, TimeSpan window, IReadOnlyDictionary<string, string> settings,
        TextWriter progress)
    {
        await using var server = await ServerProcess.StartAsync(settings);
        using var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Add("X-Api-Key", BenchServer.AdminApiKey);
        var environment = await (await api.PostAsJsonAsync("/api/environments", new { name = "Production" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>();
        await Task.Delay(settle);
        var idleWorkingSet = server.WorkingSet;

        var requests = BenchAgent.CreateCounter();
        using var http = BenchAgent.CreateHttpClient(requests);
        using var stop = new CancellationTokenSource();
        var agents = Enumerable.Range(1, count).Select(i => new BenchAgent(server.BaseUrl, http, $"idle-{i:D5}")).ToList();
        var registering = Stopwatch.StartNew();
        var running = await BenchAgent.ConnectInGroupsAsync(agents, "Production", 500, api, TimeSpan.FromMinutes(3), stop.Token,
            connected => progress.WriteLine($"idle: {connected:N0} agents connected after {registering.Elapsed.TotalSeconds:0} s"));
        registering.Stop();
        try
        {
            // A whole long poll (15 s) at least, so that every agent has been through a poll's full cycle.
            await Task.Delay(settle);
            var connected = await BenchApi.HealthyMachinesAsync(api);
            var (cpu, polls, started) = (server.CpuTime, requests.Count, Stopwatch.GetTimestamp());
            await Task.Delay(window);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var idleCpu = (server.CpuTime - cpu) / elapsed;
            var pollsPerSecond = (requests.Count - polls) / elapsed.TotalSeconds;
            var connectedWorkingSet = server.WorkingSet;
            progress.WriteLine($"idle: {connected:N0} connected, server CPU {idleCpu:P1} of a core, {pollsPerSecond:0} requests/s, " +
                               $"{ResultTable.MiB(connectedWorkingSet)} MiB; one health check of all...");

            var asked = Stopwatch.GetTimestamp();
            try
            {
                (await api.PostAsync($"/api/environments/{environment.GetProperty("id").GetInt32()}/health-check", null)).EnsureSuccessStatusCode();
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"The health check was refused after {Stopwatch.GetElapsedTime(asked).TotalSeconds:0.0} s " +
                                                    $"({e.Message}). The server said:{Environment.NewLine}{server.RecentOutput(40)}", e);
            }
            var queue = Stopwatch.GetElapsedTime(asked);
            await BenchWait.UntilAsync(() => Task.FromResult(agents.All(a => a.LastJobAt > asked)), TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(200));
            var told = agents.Where(a => a.LastJobAt > asked).Select(a => Stopwatch.GetElapsedTime(asked, a.LastJobAt)).ToList();
            return new IdleRow(count, connected, registering.Elapsed, idleWorkingSet, connectedWorkingSet, idleCpu, pollsPerSecond, queue,
                Percentiles.Of(told), told.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    public static ResultTable Table(IReadOnlyList<IdleRow> rows)
    {
        var table = new ResultTable("Idle agents long-polling one server (its own process): memory, CPU, and one job for every machine",
            "agents", "connected", "registered in s", "server MiB, no agents", "server MiB, agents idle", "KiB / held poll",
            "server CPU at idle (one core)", "agent requests / s", "health check queued ms", "told p50 ms", "told p95 ms", "told max ms", "told");
        foreach (var r in rows)
        {
            table.Add(r.Agents, r.Connected, r.Registering.TotalSeconds.ToString("0"), ResultTable.MiB(r.IdleWorkingSet),
                ResultTable.MiB(r.ConnectedWorkingSet),
                ((r.ConnectedWorkingSet - r.IdleWorkingSet) / 1024.0 / Math.Max(1, r.Connected)).ToString("0"),
                r.IdleCpu.ToString("P1"), r.PollsPerSecond.ToString("0"), ResultTable.Ms(r.Queue), ResultTable.Ms(r.Told.P50),
                ResultTable.Ms(r.Told.P95), ResultTable.Ms(r.Told.Max), r.TellCount);
        }
        table.Notes.Add("Told: from the POST of one health-check run of the agents' environment (a job for every machine) until each agent " +
                        "holds its job. The agents are protocol clients in the bench's process; they answer each job at once.");
        return table;
    }
}
