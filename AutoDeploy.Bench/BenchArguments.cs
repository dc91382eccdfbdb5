using System.Globalization;

namespace AutoDeploy.Bench;

/// <summary>The command line: a benchmark's name and <c>--name value</c> options (lists comma-separated, durations in seconds).</summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);

    private BenchArguments(string command) => Command = command;

    public string Command { get; }

    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("Name a benchmark first.");
        }
        var parsed = new BenchArguments(args[0]);
        for (var i = 1; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' at '{args[i]}'.");
            }
            parsed._options[args[i][2..]] = args[++i];
        }
        return parsed;
    }

    public string? Text(string name) => _options.GetValueOrDefault(name);

    public int Int(string name, int fallback) => _options.TryGetValue(name, out var value) ? ParseInt(name, value) : fallback;

    public IReadOnlyList<int> Ints(string name, params int[] fallback) => _options.TryGetValue(name, out var value)
        ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => ParseInt(name, v)).ToList()
        : fallback;

    public TimeSpan Seconds(string name, double fallback) =>
        TimeSpan.FromSeconds(_options.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback);

    public T Enum<T>(string name, T fallback) where T : struct, System.Enum =>
        _options.TryGetValue(name, out var value) ? System.Enum.Parse<T>(value, ignoreCase: true) : fallback;

    /// <summary>One of <paramref name="choices"/>; the first when the option is not given.</summary>
    public string Choice(string name, params string[] choices)
    {
        var value = Text(name) ?? choices[0];
        return choices.Contains(value, StringComparer.Ordinal) ? value
            : throw new ArgumentException($"--{name} is {string.Join(" or ", choices)}, not '{value}'.");
    }

    /// <summary><c>KEY=VALUE,KEY=VALUE</c>: configuration keys or environment variables for a server process.</summary>
    public IReadOnlyDictionary<string, string> Settings(string name) =>
        (Text(name) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(pair => pair.Split('=', 2))
        .ToDictionary(parts => parts.Length == 2 ? parts[0] : throw new ArgumentException($"--{name} takes KEY=VALUE pairs, not '{parts[0]}'."),
            parts => parts[1]);

    /// <summary>Unknown options are mistakes: say so rather than run something else than asked.</summary>
    public void RefuseUnknown(params string[] known)
    {
        var unknown = _options.Keys.Except([.. known, "markdown"], StringComparer.OrdinalIgnoreCase).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s) for '{Command}': {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }

    private static int ParseInt(string name, string value) =>
        int.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"--{name} expects whole numbers, not '{value}'.");
}
