namespace AutoDeploy.Agent;

/// <summary>Durations on the command line: <c>90s</c>, <c>10m</c>, <c>1h</c>, or plain seconds.</summary>
public static class Timeouts
{
    public static bool TryParse(string text, out TimeSpan timeout)
    {
        timeout = default;
        var trimmed = text.Trim().ToLowerInvariant();
        var (number, unit) = trimmed.Length > 0 && char.IsLetter(trimmed[^1]) ? (trimmed[..^1], trimmed[^1]) : (trimmed, 's');
        if (!double.TryParse(number, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value <= 0)
        {
            return false;
        }
        double? seconds = unit switch
        {
            's' => value,
            'm' => value * 60,
            'h' => value * 3600,
            _ => null,
        };
        if (seconds is not { } total || total > TimeSpan.FromDays(7).TotalSeconds)
        {
            return false;
        }
        timeout = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>As it would be written on the command line: 90s, 10m, 1h.</summary>
    public static string Format(TimeSpan timeout) =>
        timeout.TotalHours >= 1 && timeout.TotalHours % 1 == 0 ? $"{timeout.TotalHours:0}h"
        : timeout.TotalMinutes >= 1 && timeout.TotalMinutes % 1 == 0 ? $"{timeout.TotalMinutes:0}m"
        : $"{timeout.TotalSeconds:0.###}s";
}
