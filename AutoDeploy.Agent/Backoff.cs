namespace AutoDeploy.Agent;

/// <summary>Exponential back-off with jitter: the initial delay doubling up to a maximum, each ±20 % at random.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private TimeSpan previous;

    public int Failures { get; private set; }

    public TimeSpan NextDelay()
    {
        Failures++;
        previous = Failures == 1 ? initial : TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, max.Ticks));
        var jittered = previous * (0.8 + 0.4 * Random.Shared.NextDouble());
        return jittered < max ? jittered : max;
    }

    public void Reset() => Failures = 0;
}
