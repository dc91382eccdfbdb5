namespace AutoDeploy.Domain.Packages;

/// <summary>The archives the package repository takes.</summary>
public enum PackageFormat { Zip, TarGz, Nupkg }

public static class PackageFormats
{
    /// <summary>The file name endings of each format; the first is the one stored files get.</summary>
    private static readonly (string Ending, PackageFormat Format)[] Endings =
        [(".zip", PackageFormat.Zip), (".tar.gz", PackageFormat.TarGz), (".tgz", PackageFormat.TarGz), (".nupkg", PackageFormat.Nupkg)];

    public static string Extension(this PackageFormat format) => Endings.First(e => e.Format == format).Ending;

    /// <summary>The format a file name ends with, and the name without that ending.</summary>
    public static bool TryFromFileName(string fileName, out PackageFormat format, out string stem)
    {
        foreach (var (ending, candidate) in Endings)
        {
            if (fileName.EndsWith(ending, StringComparison.OrdinalIgnoreCase) && fileName.Length > ending.Length)
            {
                format = candidate;
                stem = fileName[..^ending.Length];
                return true;
            }
        }
        format = default;
        stem = "";
        return false;
    }

    /// <summary>".zip, .tar.gz, .tgz, .nupkg", for messages.</summary>
    public static string KnownEndings => string.Join(", ", Endings.Select(e => e.Ending));
}
