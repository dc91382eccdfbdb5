using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Agent;

/// <summary>
/// Runs a job's script with bash in a fresh temporary folder, with the job's variables as environment variables,
/// writing its stdout and stderr lines to a channel while it runs. The job's timeout or a cancel kills the
/// whole process tree.
/// </summary>
public sealed class ScriptRunner(TimeProvider time)
{
    /// <summary>After the script exits, how long its output may stay open with nothing arriving (a background child holds it).</summary>
    public TimeSpan OutputGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    private const int MaxTimeoutSeconds = 30 * 24 * 3600;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Runs the script; every line it printed has been written to <paramref name="output"/> when this returns. With a
    /// <paramref name="packageFolder"/>, the script runs there, with <c>AUTODEPLOY_PACKAGE_ID</c>, <c>_VERSION</c>,
    /// <c>_PATH</c> and <c>_SHA256</c> set.
    /// </summary>
    public async Task<JobCompletion> RunAsync(AgentJob job, ChannelWriter<LogLine> output, CancellationToken cancel, string? packageFolder = null)
    {
        var folder = Directory.CreateTempSubdirectory("autodeploy-job-");
        try
        {
            var scriptPath = Path.Combine(folder.FullName, "script.sh");
            await File.WriteAllTextAsync(scriptPath, job.Script ?? "", Utf8, CancellationToken.None);
            var workFolder = packageFolder ?? folder.CreateSubdirectory("work").FullName;
            Process process;
            try
            {
                process = Process.Start(StartInfo(job, scriptPath, workFolder, packageFolder))!;
            }
            catch (Win32Exception e)
            {
                return new JobCompletion(JobOutcome.Failed, null, $"Could not start bash: {e.Message}");
            }
            using (process)
            {
                process.StandardInput.Close();
                return await SuperviseAsync(process, job, output, cancel);
            }
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process the script left behind may still write there; the system cleans its temp folder.
            }
        }
    }

    private static ProcessStartInfo StartInfo(AgentJob job, string scriptPath, string workFolder, string? packageFolder)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workFolder,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        start.ArgumentList.Add(scriptPath);
        start.Environment.Remove("AUTODEPLOY_API_KEY");
        if (job.Package is { } package && packageFolder is not null)
        {
            start.Environment["AUTODEPLOY_PACKAGE_ID"] = package.PackageId;
            start.Environment["AUTODEPLOY_PACKAGE_VERSION"] = package.Version;
            start.Environment["AUTODEPLOY_PACKAGE_PATH"] = packageFolder;
            start.Environment["AUTODEPLOY_PACKAGE_SHA256"] = package.Sha256;
        }
        foreach (var (name, value) in job.Variables ?? new Dictionary<string, string>())
        {
            if (name.Length > 0 && !name.Contains('=') && !name.Contains('\0'))
            {
                start.Environment[name] = value;
            }
        }
        ProcessGroup.RunInOwnGroup(start);
        return start;
    }

    private async Task<JobCompletion> SuperviseAsync(Process process, AgentJob job, ChannelWriter<LogLine> output, CancellationToken cancel)
    {
        using var stopReading = new CancellationTokenSource();
        OutputPump[] pumps =
        [
            new(process.StandardOutput, LogStream.Output, output, time),
            new(process.StandardError, LogStream.Error, output, time),
        ];
        var pumpTasks = pumps.Select(p => Task.Run(() => p.RunAsync(stopReading.Token))).ToArray();

        // No timeout, or one beyond what a timer takes (about 49 days), means none.
        var timeout = job.TimeoutSeconds is > 0 and <= MaxTimeoutSeconds ? TimeSpan.FromSeconds(job.TimeoutSeconds) : Timeout.InfiniteTimeSpan;
        using var timer = new CancellationTokenSource(timeout, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, timer.Token);
        JobOutcome? killedAs = null;
        try
        {
            await process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            killedAs = cancel.IsCancellationRequested ? JobOutcome.Canceled : JobOutcome.TimedOut;
            ProcessGroup.KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        await AwaitOutputAsync(pumps, pumpTasks, stopReading, output);
        return killedAs switch
        {
            JobOutcome.Canceled => new JobCompletion(JobOutcome.Canceled, null, "The script was canceled and stopped."),
            JobOutcome.TimedOut => new JobCompletion(JobOutcome.TimedOut, null,
                $"The script ran longer than its timeout of {job.TimeoutSeconds} s and was stopped."),
            _ when process.ExitCode == 0 => new JobCompletion(JobOutcome.Succeeded, 0, null),
            _ => new JobCompletion(JobOutcome.Failed, process.ExitCode, $"The script failed with exit code {process.ExitCode}."),
        };
    }

    // Waits until both streams end. A process the script started in the background may keep them open after the
    // script exits; once nothing has arrived for the grace period, stop reading rather than wait for it forever.
    // Waiting for room in the channel (the server is slow) is not a stall: those lines are kept.
    private async Task AwaitOutputAsync(OutputPump[] pumps, Task[] pumpTasks, CancellationTokenSource stopReading, ChannelWriter<LogLine> output)
    {
        var pumping = Task.WhenAll(pumpTasks);
        var lastRead = pumps.Sum(p => p.CharsRead);
        while (true)
        {
            try
            {
                await pumping.WaitAsync(OutputGracePeriod, time);
                return;
            }
            catch (TimeoutException)
            {
                var read = pumps.Sum(p => p.CharsRead);
                var stalled = read == lastRead && pumps.Where((_, i) => !pumpTasks[i].IsCompleted).All(p => p.AwaitingData);
                lastRead = read;
                if (stalled)
                {
                    break;
                }
            }
        }
        await stopReading.CancelAsync();
        try
        {
            await pumping.WaitAsync(OutputGracePeriod, time);
        }
        catch (TimeoutException)
        {
            // The read did not notice the cancel; it ends when the process's streams are disposed.
        }
        try
        {
            await output.WriteAsync(new LogLine(time.GetUtcNow(), LogStream.Error,
                "[The script exited but a process it started still holds its output open; its further output is not captured.]"));
        }
        catch (ChannelClosedException)
        {
            // Nobody reads the lines any more.
        }
    }
}
