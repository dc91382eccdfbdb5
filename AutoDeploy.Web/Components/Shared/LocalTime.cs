using System.Globalization;

namespace AutoDeploy.Web.Components.Shared;

/// <summary>
/// Formats times in the reader's time zone (UTC until the browser has told us its zone), one format everywhere. MainLayout
/// asks the browser once per circuit and cascades it; the <see cref="Time"/> component shows it with UTC on hover.
/// </summary>
public sealed class LocalTime(TimeZoneInfo zone)
{
    public static readonly LocalTime Utc = new(TimeZoneInfo.Utc);

    public TimeZoneInfo Zone => zone;

    /// <summary>The zone the browser names, or UTC if the name is missing or unknown here.</summary>
    public static LocalTime For(string? timeZoneId) =>
        !string.IsNullOrWhiteSpace(timeZoneId) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone)
            && !zone.HasSameRules(TimeZoneInfo.Utc) ? new(zone) : Utc;

    public string Format(DateTimeOffset time)
    {
        var local = TimeZoneInfo.ConvertTime(time, zone);
        return local.ToString("d MMM yyyy, HH:mm:ss", CultureInfo.InvariantCulture)
            + (zone == TimeZoneInfo.Utc ? " UTC" : "");
    }

    /// <summary>The time of day of a log line, in the same zone.</summary>
    public string TimeOfDay(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The exact time in UTC, for the tooltip.</summary>
    public static string Exact(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);
}
