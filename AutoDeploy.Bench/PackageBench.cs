using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Bench;

public sealed record UploadResult(long Bytes, TimeSpan Took, TimeSpan Copy, long RssBefore, long RssPeak, TimeSpan ServerCpu);

public sealed record FanOutResult(int Agents, long PackageBytes, TimeSpan Took, TimeSpan Copy, Percentiles Downloads, long RssBefore,
    long RssPeak, TimeSpan ServerCpu, int Failed, bool HashMatched);

/// <summary>
/// The package repository under load, on the server in its own process (so its memory is its own): one large upload
/// through <c>POST /api/packages</c>, then for each N a deployment of a release pinning one package to N machines whose
/// agents all start downloading it at the same moment. Each is set beside a plain copy of the same file on the same disk.
/// </summary>
public static class PackageBench
{
    private const string PackageId = "Shop";

    public static async Task<(UploadResult Upload, List<FanOutResult> FanOut)> RunAsync(IReadOnlyList<int> agentCounts, long packageBytes,
        long uploadBytes, TextWriter progress)
    {
        var folder = Directory.CreateTempSubdirectory("autodeploy-bench-packages-").FullName;
        try
        {
            await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
            {
                ["Packages:Folder"] = Path.Combine(folder, "store"),
                // A download of a large package to many agents at once may take longer than a script's heartbeat allows.
                ["Tasks:AgentLostAfter"] = "00:30:00",
                ["Tasks:PickupTimeout"] = "00:30:00",
            });
            using var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromMinutes(30) };
            api.DefaultRequestHeaders.Add("X-Api-Key", BenchServer.AdminApiKey);

            var upload = await UploadAsync(server, api, Path.Combine(folder, "BigUpload.1.0.0.zip"), uploadBytes, progress);
            var package = Path.Combine(folder, $"{PackageId}.1.0.0.zip");
            var release = await SetUpReleaseAsync(api, package, packageBytes);
            var copy = TimeCopy(package);
            string sha256;
            await using (var file = File.OpenRead(package))
            {
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
            }
            var results = new List<FanOutResult>();
            foreach (var agents in agentCounts)
            {
                results.Add(await FanOutAsync(server, api, release, agents, copy, sha256, progress));
            }
            return (upload, results);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<UploadResult> UploadAsync(ServerProcess server, HttpClient api, string file, long bytes, TextWriter progress)
    {
        WriteZip(file, bytes);
        var copy = TimeCopy(file);
        progress.WriteLine($"packages: uploading {ResultTable.MiB(new FileInfo(file).Length)} MiB...");
        var started = Stopwatch.GetTimestamp();
        await using var sampler = new PeakSampler(server);
        await using (var body = File.OpenRead(file))
        {
            using var content = new StreamContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await api.PostAsync($"/api/packages?fileName={Path.GetFileName(file)}", content);
            await EnsureAsync(response, HttpStatusCode.Created);
        }
        var took = Stopwatch.GetElapsedTime(started);
        await sampler.DisposeAsync();
        var result = new UploadResult(new FileInfo(file).Length, took, copy, sampler.Before, sampler.Peak, sampler.Cpu);
        (await api.DeleteAsync("/api/packages/BigUpload/1.0.0")).EnsureSuccessStatusCode();
        File.Delete(file);
        return result;
    }

    /// <summary>The package uploaded, a project whose one step deploys it, and its release 1.0.0 pinning it.</summary>
    private static async Task<int> SetUpReleaseAsync(HttpClient api, string package, long bytes)
    {
        WriteZip(package, bytes);
        await using (var body = File.OpenRead(package))
        {
            using var response = await api.PostAsync($"/api/packages?fileName={Path.GetFileName(package)}", new StreamContent(body));
            await EnsureAsync(response, HttpStatusCode.Created);
        }
        var project = await IdAsync(await api.PostAsJsonAsync("/api/projects", new
        {
            name = "Shop",
            steps = new[] { new { name = "Install", roles = new[] { "web" }, timeout = "00:30:00", packageId = PackageId, script = "true" } },
        }));
        return await IdAsync(await api.PostAsJsonAsync($"/api/projects/{project}/releases", new { version = "1.0.0" }));
    }

    private static async Task<FanOutResult> FanOutAsync(ServerProcess server, HttpClient api, int release, int count, TimeSpan copy,
        string sha256, TextWriter progress)
    {
        var environmentName = $"FanOut-{count}";
        var environment = await IdAsync(await api.PostAsJsonAsync("/api/environments", new { name = environmentName }));
        progress.WriteLine($"packages: registering {count:N0} agents...");
        using var http = BenchAgent.CreateHttpClient();
        var registrar = new AgentClient(http, server.BaseUrl);
        var registered = new List<RegistrationResponse>();
        foreach (var chunk in Enumerable.Range(1, count).Chunk(100))
        {
            registered.AddRange(await Task.WhenAll(chunk.Select(i => registrar.RegisterAsync(BenchServer.AdminApiKey,
                new RegistrationRequest { Name = $"fan-{count}-{i:D5}", Environments = [environmentName], Roles = ["web"] }, CancellationToken.None))));
        }
        var agents = registered.Select((r, i) => new FanOutAgent(server.BaseUrl, http, r.MachineId, r.Token, hashes: i == 0)).ToList();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var running = agents.Select(a => Task.Run(() => a.RunAsync(go.Task, stop.Token))).ToList();
        try
        {
            await WaitUntilAsync(async () => await BenchApi.HealthyMachinesAsync(api, environment) == count, "every agent's health check");
            var deployment = await IdAsync(await api.PostAsJsonAsync("/api/deployments", new { releaseId = release, environmentId = environment }));
            await Task.WhenAll(agents.Select(a => a.Job)).WaitAsync(TimeSpan.FromMinutes(5));
            progress.WriteLine($"packages: {count:N0} agents have the job; downloading at once...");

            await using var sampler = new PeakSampler(server);
            var started = Stopwatch.GetTimestamp();
            go.SetResult();
            await Task.WhenAll(agents.Select(a => a.Downloaded)).WaitAsync(TimeSpan.FromMinutes(30));
            var took = Stopwatch.GetElapsedTime(started);
            await sampler.DisposeAsync();
            await WaitForEndAsync(api, deployment);

            var packageBytes = (await agents[0].Job).Size;
            return new FanOutResult(count, packageBytes, took, copy, Percentiles.Of(agents.Select(a => a.Download)), sampler.Before, sampler.Peak,
                sampler.Cpu, agents.Count(a => a.Error is not null || a.Bytes != packageBytes), agents[0].Sha256 == sha256);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    public static IReadOnlyList<ResultTable> Tables(UploadResult upload, IReadOnlyList<FanOutResult> fanOut)
    {
        var uploads = new ResultTable("Package upload: one file through POST /api/packages (raw body)",
            "MiB", "seconds", "MiB/s", "plain copy MiB/s", "server RSS before MiB", "peak MiB", "growth MiB", "server CPU ms/MiB");
        uploads.Add(ResultTable.MiB(upload.Bytes), ResultTable.Seconds(upload.Took), MiBps(upload.Bytes, upload.Took), MiBps(upload.Bytes, upload.Copy),
            ResultTable.MiB(upload.RssBefore), ResultTable.MiB(upload.RssPeak), ResultTable.MiB(upload.RssPeak - upload.RssBefore),
            PerMiB(upload.ServerCpu, upload.Bytes));
        uploads.Notes.Add("The server hashes the body while writing it to its uploads folder, reads every entry of the archive to check it, then moves it into place.");

        var fan = new ResultTable("Package fan-out: N agents download one package at the same moment (GET /api/agent/packages)",
            "agents", "package MiB", "total GiB", "seconds", "aggregate MiB/s", "plain copy MiB/s", "download p50 s", "max s",
            "server RSS before MiB", "peak MiB", "growth MiB", "server CPU ms/MiB", "failed");
        foreach (var r in fanOut)
        {
            var total = r.PackageBytes * r.Agents;
            fan.Add(r.Agents, ResultTable.MiB(r.PackageBytes), (total / 1024.0 / 1024 / 1024).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                ResultTable.Seconds(r.Took), MiBps(total, r.Took), MiBps(r.PackageBytes, r.Copy), ResultTable.Seconds(r.Downloads.P50),
                ResultTable.Seconds(r.Downloads.Max), ResultTable.MiB(r.RssBefore), ResultTable.MiB(r.RssPeak), ResultTable.MiB(r.RssPeak - r.RssBefore),
                PerMiB(r.ServerCpu, total), r.Failed + (r.HashMatched ? 0 : 1));
        }
        fan.Notes.Add("Agents and server share the machine's cores and talk over loopback; the agents read each download to its end without writing it " +
                      "to disk (N copies would not fit), and one of them hashes it: a wrong SHA-256 counts as a failure.");
        fan.Notes.Add("Plain copy: File.Copy of the same package on the same disk, once, after the file was written (both from the page cache).");
        return [uploads, fan];
    }

    /// <summary>A zip of <paramref name="bytes"/> of random data in stored (uncompressed) entries of 8 MiB at most.</summary>
    public static void WriteZip(string path, long bytes)
    {
        const int entrySize = 8 << 20;
        var random = new Random(15);
        var buffer = new byte[Math.Min(entrySize, Math.Max(bytes, 1))];
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        for (var (left, index) = (bytes, 0); left > 0; left -= buffer.Length, index++)
        {
            var size = (int)Math.Min(buffer.Length, left);
            random.NextBytes(buffer.AsSpan(0, size));
            using var entry = zip.CreateEntry($"bin/part{index:D4}.bin", CompressionLevel.NoCompression).Open();
            entry.Write(buffer, 0, size);
        }
    }

    private static TimeSpan TimeCopy(string file)
    {
        var copy = file + ".copy";
        var started = Stopwatch.GetTimestamp();
        File.Copy(file, copy);
        var took = Stopwatch.GetElapsedTime(started);
        File.Delete(copy);
        return took;
    }

    private static async Task WaitForEndAsync(HttpClient api, int deployment)
    {
        await WaitUntilAsync(async () =>
        {
            var body = await api.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment}");
            return body.GetProperty("deployment").GetProperty("completedAt").ValueKind != JsonValueKind.Null;
        }, $"deployment {deployment} to end");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        if (!await BenchWait.UntilAsync(condition, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(100)))
        {
            throw new TimeoutException($"Waited 5 minutes for {what}.");
        }
    }

    private static async Task<int> IdAsync(HttpResponseMessage response)
    {
        await EnsureAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered " +
                                                $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string MiBps(long bytes, TimeSpan took) =>
        (bytes / 1024.0 / 1024 / Math.Max(took.TotalSeconds, 1e-6)).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    private static string PerMiB(TimeSpan cpu, long bytes) =>
        (cpu.TotalMilliseconds / Math.Max(bytes / 1024.0 / 1024, 1e-6)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
