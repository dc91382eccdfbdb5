using System.Globalization;
using System.Text;

namespace AutoDeploy.Bench;

/// <summary>A small table of results: printed as aligned text, or written as markdown for BENCHMARKS.md.</summary>
public sealed class ResultTable(string title, params string[] columns)
{
    private readonly List<string[]> _rows = [];

    public string Title { get; } = title;
    public IReadOnlyList<string> Columns { get; } = columns;
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>Notes printed under the table (settings, caveats).</summary>
    public List<string> Notes { get; } = [];

    public ResultTable Add(params object[] cells)
    {
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"Expected {Columns.Count} cells, got {cells.Length}.", nameof(cells));
        }
        _rows.Add(cells.Select(Format).ToArray());
        return this;
    }

    public string ToText()
    {
        var widths = Columns.Select((c, i) => Math.Max(c.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder().AppendLine(Title);
        text.AppendLine(string.Join("  ", Columns.Select((c, i) => c.PadRight(widths[i]))));
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            text.AppendLine(string.Join("  ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
        }
        foreach (var note in Notes)
        {
            text.AppendLine($"  {note}");
        }
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder().AppendLine($"#### {Title}").AppendLine();
        text.AppendLine($"| {string.Join(" | ", Columns)} |");
        text.AppendLine($"|{string.Join("|", Columns.Select((_, i) => i == 0 ? "---" : "---:"))}|");
        foreach (var row in _rows)
        {
            text.AppendLine($"| {string.Join(" | ", row)} |");
        }
        if (Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in Notes)
            {
                text.AppendLine($"- {note}");
            }
        }
        return text.AppendLine().ToString();
    }

    public static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString(span.TotalMilliseconds < 10 ? "0.00" : "0", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

    public static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture);

    private static string Format(object cell) => cell switch
    {
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        int or long => string.Format(CultureInfo.InvariantCulture, "{0:N0}", cell),
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };
}
