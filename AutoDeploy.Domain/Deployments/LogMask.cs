using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Domain.Deployments;

/// <summary>
/// Hides a deployment's sensitive values in its log lines. Agents send output line by line, so a multi-line value
/// (a PEM key, a configuration file) is looked for line by line too; and a line an agent cut at its length limit
/// loses any tail that begins a sensitive value, so that a secret across the cut does not show its first half.
/// </summary>
public sealed class LogMask
{
    /// <summary>
    /// Lines of a multi-line value shorter than this are not masked on their own: they are mostly syntax ("}", "fi",
    /// "-----", a blank line), and masking them would hide that text in every line of every log. A single-line value
    /// is masked whatever its length; a secret shorter than this belongs in a variable of its own.
    /// </summary>
    public const int MinLineLength = 8;

    private readonly string[] pieces;

    public LogMask(IEnumerable<string> sensitiveValues)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in sensitiveValues)
        {
            if (!value.Contains('\n'))
            {
                if (value.Length > 0)
                {
                    found.Add(value);
                }
                continue;
            }
            foreach (var line in value.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= MinLineLength))
            {
                found.Add(line);
            }
        }
        // Longest first: a value that contains another is masked whole, not around the shorter one.
        pieces = [.. found.OrderByDescending(p => p.Length).ThenBy(p => p, StringComparer.Ordinal)];
    }

    /// <summary>The line with every sensitive value (or line of one) replaced by <see cref="ProjectVariable.Mask"/>.</summary>
    public string Apply(string line)
    {
        if (pieces.Length == 0)
        {
            return line;
        }
        var cut = line.EndsWith(TaskLogLine.TruncatedMarker, StringComparison.Ordinal);
        var text = cut ? line[..^TaskLogLine.TruncatedMarker.Length] : line;
        foreach (var piece in pieces)
        {
            text = text.Replace(piece, ProjectVariable.Mask, StringComparison.Ordinal);
        }
        return cut ? MaskCutTail(text) + TaskLogLine.TruncatedMarker : text;
    }

    /// <summary>Masks the longest end of <paramref name="text"/> that is the start of a sensitive value.</summary>
    private string MaskCutTail(string text)
    {
        var start = text.Length;
        foreach (var piece in pieces)
        {
            // Whole occurrences are masked already: only a proper start of the piece can end the text.
            for (var i = Math.Max(0, text.Length - piece.Length + 1); i < start; i++)
            {
                if (text[i] == piece[0] && piece.AsSpan().StartsWith(text.AsSpan(i)))
                {
                    start = i;
                    break;
                }
            }
        }
        return start == text.Length ? text : string.Concat(text.AsSpan(0, start), ProjectVariable.Mask);
    }
}
