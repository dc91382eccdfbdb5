namespace AutoDeploy.Bench;

/// <summary>p50, p95 and max of a set of durations (nearest-rank percentiles).</summary>
public sealed record Percentiles(int Count, TimeSpan P50, TimeSpan P95, TimeSpan Max, TimeSpan Min)
{
    public static Percentiles Of(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Order().ToList();
        if (sorted.Count == 0)
        {
            return new Percentiles(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }
        return new Percentiles(sorted.Count, Rank(sorted, 0.50), Rank(sorted, 0.95), sorted[^1], sorted[0]);
    }

    private static TimeSpan Rank(List<TimeSpan> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
