using System.Diagnostics;

namespace AutoDeploy.Bench;

/// <summary>
/// The thread pool while something runs: its largest size and backlog (work items waiting for a thread), sampled
/// every 50 ms; and the CPU it took: this process's CPU seconds (server and in-process agents, not their scripts)
/// and how busy the whole machine's cores were (from /proc/stat, so scripts and other processes count too).
/// </summary>
public sealed record ThreadPoolLoad(int MaxThreads, long MaxQueued, TimeSpan Wall, TimeSpan ProcessCpu, double MachineBusy,
    long MethodsCompiled, TimeSpan CompileTime)
{
    public static async Task<ThreadPoolLoad> SampleUntilAsync(Task done)
    {
        var threads = 0;
        var queued = 0L;
        var started = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var machine = MachineTicks.Read();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var compiling = System.Runtime.JitInfo.GetCompilationTime();
        // A dedicated thread, so the sampling is not itself starved by a busy pool.
        await Task.Factory.StartNew(() =>
        {
            while (!done.Wait(50))
            {
                threads = Math.Max(threads, ThreadPool.ThreadCount);
                queued = Math.Max(queued, ThreadPool.PendingWorkItemCount);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return new ThreadPoolLoad(threads, queued, Stopwatch.GetElapsedTime(started),
            Process.GetCurrentProcess().TotalProcessorTime - cpu, MachineTicks.Read().BusySince(machine),
            System.Runtime.JitInfo.GetCompiledMethodCount() - compiled, System.Runtime.JitInfo.GetCompilationTime() - compiling);
    }

    /// <summary>All cores' time from the first line of /proc/stat: busy and total, in clock ticks.</summary>
    private sealed record MachineTicks(long Busy, long Total)
    {
        public static MachineTicks Read()
        {
            if (!File.Exists("/proc/stat"))
            {
                return new MachineTicks(0, 0);
            }
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            var idle = fields[3] + fields[4]; // idle + iowait
            var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
            return new MachineTicks(total - idle, total);
        }

        public double BusySince(MachineTicks before) =>
            Total > before.Total ? (double)(Busy - before.Busy) / (Total - before.Total) : 0;
    }
}
