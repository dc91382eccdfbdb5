using System.Threading.Channels;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Agent;

/// <summary>
/// Sends a running job's output lines to the server in small batches (a batch goes when it holds the maximum
/// number of lines or its first line has waited the flush interval, never one request per line), and an empty
/// batch as a heartbeat when there is no output, so the agent learns when the server asks to cancel the job.
/// </summary>
public sealed class LogShipper(AgentClient client, ServerRetry retry, TimeProvider time, AgentRunnerOptions options)
{
    /// <summary>
    /// Ships until the channel is complete and empty; calls <paramref name="onCancelRequested"/> once if asked to cancel.
    /// Heartbeats go at the agent's interval or the one the server asked for in the job, whichever is shorter.
    /// </summary>
    public async Task ShipAsync(AgentJob job, ChannelReader<LogLine> lines, Action onCancelRequested, CancellationToken ct)
    {
        var jobId = job.JobId;
        var heartbeat = HeartbeatFor(job.Heartbeat, options.HeartbeatInterval);
        var batch = new List<LogLine>(options.LogBatchMaxLines);
        var batchStarted = 0L;
        var lastSent = time.GetTimestamp();
        var cancelRequested = false;
        while (true)
        {
            while (batch.Count < options.LogBatchMaxLines && lines.TryRead(out var line))
            {
                if (batch.Count == 0)
                {
                    batchStarted = time.GetTimestamp();
                }
                batch.Add(line);
            }
            var finished = lines.Completion.IsCompleted;
            var due = batch.Count >= options.LogBatchMaxLines
                || (batch.Count > 0 && (finished || time.GetElapsedTime(batchStarted) >= options.LogFlushInterval))
                || (!finished && time.GetElapsedTime(lastSent) >= heartbeat);
            if (due)
            {
                var answer = await retry.CallAsync($"sending the output of job {jobId}",
                    c => client.SendLogAsync(jobId, batch.ToArray(), c), ct);
                batch.Clear();
                lastSent = time.GetTimestamp();
                if (answer.CancelRequested && !cancelRequested && !finished)
                {
                    cancelRequested = true;
                    onCancelRequested();
                }
                continue;
            }
            if (finished)
            {
                return;
            }
            var wait = batch.Count > 0
                ? options.LogFlushInterval - time.GetElapsedTime(batchStarted)
                : heartbeat - time.GetElapsedTime(lastSent);
            await WaitForLinesAsync(lines, wait, ct);
        }
    }

    /// <summary>The agent's own interval, or the shorter one the server asked for, but never below <see cref="AgentHeartbeat.Shortest"/>.</summary>
    public static TimeSpan HeartbeatFor(TimeSpan? asked, TimeSpan own) =>
        asked is { } interval && interval < own ? Max(interval, AgentHeartbeat.Shortest) : own;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task WaitForLinesAsync(ChannelReader<LogLine> lines, TimeSpan wait, CancellationToken ct)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new CancellationTokenSource(wait, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await lines.WaitToReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Time to send what there is, or a heartbeat.
        }
    }
}
