namespace AutoDeploy.Domain.Subscriptions;

/// <summary>When a failed delivery is tried again, and when failing that long pauses the subscription.</summary>
public sealed record DeliveryBackoff(TimeSpan First, TimeSpan Longest, TimeSpan PauseAfter)
{
    /// <summary>The wait after the <paramref name="attempts"/>-th failure in a row: doubling from <see cref="First"/>, at most <see cref="Longest"/>.</summary>
    public TimeSpan After(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var ticks = Math.Min(First.Ticks * factor, Longest.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Whether deliveries failing since <paramref name="failingSince"/> have failed long enough to pause.</summary>
    public bool ShouldPause(DateTimeOffset failingSince, DateTimeOffset now) => now - failingSince >= PauseAfter;
}
