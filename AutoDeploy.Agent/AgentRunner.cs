using System.Threading.Channels;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Agent;

/// <summary>
/// The agent's loop: long-polls the server for work, runs each job while streaming its output, reports how it
/// ended, and carries on through server outages. Ends when stopped (<see cref="ExitCodes.Done"/>), when the server refuses
/// the agent's token (<see cref="ExitCodes.TokenRefused"/>) or when the server is not the one it trusts
/// (<see cref="ExitCodes.ServerNotTrusted"/>: retrying cannot help, and the agent talks to no one else).
/// </summary>
public sealed class AgentRunner
{
    private readonly AgentSettings settings;
    private readonly TimeProvider time;
    private readonly TextWriter log;
    private readonly AgentRunnerOptions options;
    private readonly AgentClient client;
    private readonly ServerRetry retry;
    private readonly LogShipper shipper;
    private readonly ScriptRunner scripts;
    private readonly AgentUpdater updater;
    private readonly PackageInstaller packages;

    public AgentRunner(AgentSettings settings, HttpClient http, TimeProvider time, TextWriter log, AgentRunnerOptions? options = null)
    {
        this.settings = settings;
        this.time = time;
        this.log = TextWriter.Synchronized(log);
        this.options = options ?? new AgentRunnerOptions();
        client = new AgentClient(http, settings.Server, settings.Token)
        {
            PollTimeout = this.options.PollTimeout,
            RequestTimeout = this.options.RequestTimeout,
        };
        retry = new ServerRetry(time, this.options, Log);
        shipper = new LogShipper(client, retry, time, this.options);
        scripts = new ScriptRunner(time);
        updater = new AgentUpdater(client, Log);
        packages = new PackageInstaller(client,
            this.options.PackageCacheFolder ?? Path.Combine(AgentSettings.DefaultHome, "packages"),
            this.options.AppsFolder ?? Path.Combine(AgentSettings.DefaultHome, "apps"));
    }

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        Log($"AutoDeploy agent {AgentProtocol.Version}: machine '{settings.Name}' (id {settings.MachineId}) "
            + $"waiting for work from {settings.Server}. Ctrl+C stops it.");
        var trouble = new Backoff(options.RetryInitialDelay, options.RetryMaxDelay);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var answer = await retry.CallAsync("polling for work", client.PollAsync, stopping);
                    if (answer.Job is not null)
                    {
                        await RunJobAsync(answer.Job, stopping);
                    }
                    else if (answer.UpdateTo is { } version)
                    {
                        // Between jobs by construction: the server offers an update only on a poll that brought none.
                        await updater.UpdateAsync(version, stopping);
                    }
                    trouble.Reset();
                }
                catch (Exception e) when (e is not (TokenRefusedException or ServerNotTrustedException)
                                          && !(e is OperationCanceledException && stopping.IsCancellationRequested))
                {
                    var delay = trouble.NextDelay();
                    Log($"Unexpected trouble: {e.Message}. Trying again in {delay.TotalSeconds:0.0} s.");
                    await Task.Delay(delay, time, stopping);
                }
            }
        }
        catch (TokenRefusedException)
        {
            Log(TokenRefusedException.Explanation);
            return ExitCodes.TokenRefused;
        }
        catch (ServerNotTrustedException e)
        {
            Log($"{e.Message} Stopping.");
            return ExitCodes.ServerNotTrusted;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        Log("Stopped.");
        return 0;
    }

    private async Task RunJobAsync(AgentJob job, CancellationToken stopping)
    {
        Log($"Job {job.JobId} ({job.Kind}) '{job.Name}' started.");
        // Once stopping, the last output and the result still get a short grace period to reach the server.
        using var delivery = new CancellationTokenSource();
        using var onStop = stopping.Register(() => delivery.CancelAfter(options.StopGracePeriod));

        var completion = job.Kind == AgentJobKind.HealthCheck && string.IsNullOrWhiteSpace(job.Script)
            ? new JobCompletion(JobOutcome.Succeeded, null, "The agent is reachable.")
            : (await ExecuteAsync(job, stopping, delivery.Token)).Bounded();
        try
        {
            await retry.CallAsync($"reporting the result of job {job.JobId}",
                c => client.CompleteAsync(job.JobId, completion, c), delivery.Token);
            Log($"Job {job.JobId} {Describe(completion)}.");
        }
        catch (AgentRequestException e) when (e is not TokenRefusedException)
        {
            Log($"Job {job.JobId} {Describe(completion)}, but the server did not take the result: {e.Message}.");
        }
    }

    private async Task<JobCompletion> ExecuteAsync(AgentJob job, CancellationToken stopping, CancellationToken delivery)
    {
        var lines = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(options.LogBufferLines)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var serverCanceled = false;
        var shipping = ShipAsync();

        JobCompletion completion;
        try
        {
            var folder = job.Package is { } package
                ? await packages.InstallAsync(package, job.Variables ?? new Dictionary<string, string>(), text => lines.Writer.TryWrite(new LogLine(time.GetUtcNow(), LogStream.Output, text)), cancel.Token)
                : null;
            completion = await scripts.RunAsync(job, lines.Writer, cancel.Token, folder);
        }
        catch (PackageInstallException e)
        {
            completion = new JobCompletion(JobOutcome.Failed, null, e.Message);
        }
        catch (HttpRequestException e) when (job.Package is not null)
        {
            completion = new JobCompletion(JobOutcome.Failed, null, $"The agent could not download {job.Package.PackageId} {job.Package.Version}: {e.Message}");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            completion = new JobCompletion(JobOutcome.Canceled, null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            completion = new JobCompletion(JobOutcome.Failed, null, $"The agent could not run the script: {e.Message}");
        }
        lines.Writer.TryComplete();
        try
        {
            await shipping;
        }
        catch (AgentRequestException e) when (e is not TokenRefusedException)
        {
            Log($"The server refused the output of job {job.JobId}, so the script was stopped: {e.Message}.");
        }
        if (completion.Outcome == JobOutcome.Canceled)
        {
            completion = completion with
            {
                Message = serverCanceled ? "Canceled on request; the script was stopped." : "The agent was stopped; so was the script.",
            };
        }
        return completion;

        async Task ShipAsync()
        {
            try
            {
                await shipper.ShipAsync(job, lines.Reader, () => { serverCanceled = true; cancel.Cancel(); }, delivery);
            }
            catch
            {
                // The output can no longer be delivered: stop the script, and let it stop writing.
                lines.Writer.TryComplete();
                await cancel.CancelAsync();
                throw;
            }
        }
    }

    private static string Describe(JobCompletion completion) => completion.Outcome switch
    {
        JobOutcome.Succeeded => "succeeded",
        JobOutcome.Failed => $"failed ({completion.Message})",
        JobOutcome.TimedOut => "timed out",
        _ => "was canceled",
    };

    private void Log(string message) => log.WriteLine($"{time.GetLocalNow():yyyy-MM-dd HH:mm:ss} {message}");
}
