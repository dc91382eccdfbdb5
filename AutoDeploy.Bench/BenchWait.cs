using System.Diagnostics;

namespace AutoDeploy.Bench;

/// <summary>Waiting for what the server or the agents bring about, asked again at an interval, within a limit.</summary>
public static class BenchWait
{
    /// <returns>Whether <paramref name="condition"/> held before <paramref name="limit"/> passed.</returns>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan limit, TimeSpan every)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }
            await Task.Delay(every);
        }
        return true;
    }
}
