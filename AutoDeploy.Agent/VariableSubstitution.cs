using System.Text;
using System.Text.RegularExpressions;

namespace AutoDeploy.Agent;

/// <summary>
/// Replaces <c>#{Name}</c> in a package's files with the job's variable of that name (Octopus's "substitute variables in
/// files"), sensitive values included. What it logs names files and variables, never a value; a name with no variable
/// is left as it is and said.
/// </summary>
public static partial class VariableSubstitution
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task ApplyAsync(string folder, IReadOnlyList<string> files, IReadOnlyDictionary<string, string> variables,
        Action<string> log, CancellationToken ct)
    {
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        foreach (var file in files)
        {
            var path = Path.GetFullPath(Path.Combine(root, file));
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                throw new PackageInstallException($"'{file}' is not inside the package; variables are substituted only in its files.");
            }
            if (!File.Exists(path))
            {
                throw new PackageInstallException($"The package has no file '{file}' to substitute variables in.");
            }
            var text = await File.ReadAllTextAsync(path, ct);
            var used = new SortedSet<string>(StringComparer.Ordinal);
            var unknown = new SortedSet<string>(StringComparer.Ordinal);
            var result = Token().Replace(text, match =>
            {
                var name = match.Groups["name"].Value;
                if (variables.TryGetValue(name, out var value))
                {
                    used.Add(name);
                    return value;
                }
                unknown.Add(name);
                return match.Value;
            });
            await File.WriteAllTextAsync(path, result, Utf8, ct);
            log($"Substituted {(used.Count == 0 ? "no variables" : string.Join(", ", used))} in {file}"
                + (unknown.Count == 0 ? "" : $"; no variable for {string.Join(", ", unknown)} (left as it is)"));
        }
    }

    [GeneratedRegex(@"#\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Token();
}
