namespace AutoDeploy.Domain.Validation;

/// <summary>
/// Text the server composes (failure reasons, event messages) is bounded by construction: it is cut to fit its column,
/// the same on SQLite, which would store any length, and PostgreSQL, which refuses more than the column's.
/// </summary>
public static class TextRules
{
    /// <summary>The length of the message and reason columns (events, deployments, their machines, jobs).</summary>
    public const int MaxMessageLength = 4000;

    /// <summary><paramref name="text"/> if it fits in <paramref name="maxLength"/> characters, else its start and "…".</summary>
    public static string Cut(string text, int maxLength = MaxMessageLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }
        var keep = maxLength - 1;
        // Never half of a character that takes two UTF-16 units: PostgreSQL would refuse the lone half.
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }
        return string.Concat(text.AsSpan(0, keep), "…");
    }

    /// <summary>"a, b, c and 7 more": the first <paramref name="most"/> items, and how many are left out.</summary>
    public static string List(IReadOnlyCollection<string> items, int most) =>
        string.Join(", ", items.Take(most)) + (items.Count > most ? $" and {items.Count - most} more" : "");

    /// <summary>Without control characters (a line break is one), trimmed and <see cref="Cut"/>: text from outside kept in one line.</summary>
    public static string Clean(string? text, int maxLength) =>
        Cut(new string((text ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim(), maxLength);
}
