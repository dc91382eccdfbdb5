namespace AutoDeploy.Web.Components.Pages.Policies;

public enum DurationUnit { Minutes, Hours, Days }

/// <summary>Shows a policy's time spans as an amount and a unit, as people think of them ("2 hours", not "02:00:00").</summary>
public static class Durations
{
    /// <summary>The span in the largest unit it is a whole number of, or in <paramref name="preferred"/> when it is zero.</summary>
    public static (decimal Amount, DurationUnit Unit) Split(TimeSpan span, DurationUnit preferred = DurationUnit.Minutes)
    {
        if (span == TimeSpan.Zero)
        {
            return (0, preferred);
        }
        var unit = span.Ticks % TimeSpan.TicksPerDay == 0 ? DurationUnit.Days
            : span.Ticks % TimeSpan.TicksPerHour == 0 ? DurationUnit.Hours
            : DurationUnit.Minutes;
        return ((decimal)span.Ticks / TicksPer(unit), unit);
    }

    /// <summary>The span an amount of a unit is; amounts beyond what a TimeSpan holds become its largest value.</summary>
    public static TimeSpan Join(decimal amount, DurationUnit unit)
    {
        // Compared before multiplying: the product itself can overflow a decimal.
        var limit = (decimal)long.MaxValue / TicksPer(unit);
        return amount >= limit ? TimeSpan.MaxValue
            : amount <= -limit ? TimeSpan.MinValue
            : TimeSpan.FromTicks((long)(amount * TicksPer(unit)));
    }

    /// <summary>"1 minute", "90 minutes", "2 hours", "7 days".</summary>
    public static string Describe(TimeSpan span)
    {
        var (amount, unit) = Split(span);
        var name = unit.ToString().ToLowerInvariant();
        return $"{amount:0.##} {(amount == 1 ? name.TrimEnd('s') : name)}";
    }

    private static long TicksPer(DurationUnit unit) => unit switch
    {
        DurationUnit.Days => TimeSpan.TicksPerDay,
        DurationUnit.Hours => TimeSpan.TicksPerHour,
        _ => TimeSpan.TicksPerMinute,
    };
}
