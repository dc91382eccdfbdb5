using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Bench;

/// <summary>
/// An agent of the fan-out benchmark: speaks the real protocol (poll, complete), answers any job, and when its
/// deployment job names a package, waits for the start signal and downloads it from <c>/api/agent/packages</c> with its
/// token, as the agent's installer does, reading to the end instead of writing to disk (1,000 copies of a large package
/// would not fit on the disk). One agent in the benchmark also hashes what it read, to prove the bytes are right.
/// </summary>
public sealed class FanOutAgent(string server, HttpClient http, int machineId, string token, bool hashes)
{
    private readonly TaskCompletionSource<JobPackage> _job = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _downloaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int MachineId => machineId;

    /// <summary>Completes when the deployment job with its package reaches the agent.</summary>
    public Task<JobPackage> Job => _job.Task;

    /// <summary>Completes when the package has been read to its end (or the download failed).</summary>
    public Task Downloaded => _downloaded.Task;

    public TimeSpan Download { get; private set; }
    public long Bytes { get; private set; }
    public string? Sha256 { get; private set; }
    public string? Error { get; private set; }

    /// <summary>Polls until the deployment job arrives, downloads its package once <paramref name="go"/> completes, reports the job done.</summary>
    public async Task RunAsync(Task go, CancellationToken stop)
    {
        var client = new AgentClient(http, server, token);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                AgentJob? job;
                try
                {
                    job = (await client.PollAsync(stop)).Job;
                }
                catch (ServerUnavailableException)
                {
                    await Task.Delay(200, stop);
                    continue;
                }
                if (job is null)
                {
                    continue;
                }
                if (job.Package is { } package)
                {
                    _job.TrySetResult(package);
                    await go.WaitAsync(stop);
                    await DownloadAsync(package, stop);
                }
                await client.CompleteAsync(job.JobId, new JobCompletion(Error is null ? JobOutcome.Succeeded : JobOutcome.Failed, 0, Error), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task DownloadAsync(JobPackage package, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(server), package.Path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(stop);
            using var hash = hashes ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, stop)) > 0)
            {
                hash?.AppendData(buffer, 0, read);
                Bytes += read;
            }
            Sha256 = hash is null ? null : Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Error = e.Message;
        }
        finally
        {
            Download = Stopwatch.GetElapsedTime(started);
            _downloaded.TrySetResult();
        }
    }
}
