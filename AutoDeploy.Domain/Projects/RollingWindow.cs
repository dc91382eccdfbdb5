namespace AutoDeploy.Domain.Projects;

/// <summary>
/// How many machines a rolling step runs on at a time: a count, or a percentage of the machines the step runs on in the
/// deployment, so that it scales with the fleet. The next machine starts as soon as one finishes.
/// </summary>
public sealed record RollingWindow(int Size, bool IsPercent = false)
{
    public const int MaxCount = 10_000;
    public const int MaxPercent = 100;

    public static RollingWindow Count(int machines) => new(machines);

    public static RollingWindow Percent(int percent) => new(percent, IsPercent: true);

    /// <summary>
    /// The number of machines at a time over <paramref name="machines"/>: a percentage rounds up, and the window is at
    /// least 1 and at most all of them.
    /// </summary>
    public int For(int machines)
    {
        var size = IsPercent ? (int)(((long)machines * Size + 99) / 100) : Size;
        return Math.Max(1, Math.Min(size, machines));
    }

    /// <summary>Null when the window is allowed, else what is wrong with it.</summary>
    public string? Problem() => IsPercent
        ? Size is < 1 or > MaxPercent ? $"a rolling window is 1% to {MaxPercent}% of the machines." : null
        : Size is < 1 or > MaxCount ? $"a rolling window is 1 to {MaxCount:N0} machines." : null;

    /// <summary>"3 machines" or "25% of the machines".</summary>
    public override string ToString() => IsPercent ? $"{Size}% of the machines" : Size == 1 ? "1 machine" : $"{Size} machines";
}
