namespace AutoDeploy.Bench;

/// <summary>The thread pool while something runs: its largest size and backlog (work items waiting for a thread), sampled every 50 ms.</summary>
public sealed record ThreadPoolLoad(int MaxThreads, long MaxQueued)
{
    public static async Task<ThreadPoolLoad> SampleUntilAsync(Task done)
    {
        var threads = 0;
        var queued = 0L;
        // A dedicated thread, so the sampling is not itself starved by a busy pool.
        await Task.Factory.StartNew(() =>
        {
            while (!done.Wait(50))
            {
                threads = Math.Max(threads, ThreadPool.ThreadCount);
                queued = Math.Max(queued, ThreadPool.PendingWorkItemCount);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return new ThreadPoolLoad(threads, queued);
    }
}
