using System.Formats.Tar;
using System.IO.Compression;
using AutoDeploy.Domain.Packages;

namespace AutoDeploy.Web.Packages;

/// <summary>
/// Whether an uploaded file is the archive it says it is: every entry read to its end (a cut or corrupt archive fails),
/// at least one file, no more than the configured size once expanded, and for a <c>.nupkg</c> a <c>.nuspec</c>.
/// </summary>
public static class PackageArchive
{
    /// <summary>What is wrong with the archive, or null when it is sound.</summary>
    public static async Task<string?> ProblemAsync(string path, PackageFormat format, long maxExpandedBytes, CancellationToken cancellationToken)
    {
        try
        {
            var (files, expanded, nuspec) = format == PackageFormat.TarGz
                ? await ReadTarGzAsync(path, maxExpandedBytes, cancellationToken)
                : await ReadZipAsync(path, maxExpandedBytes, cancellationToken);
            return files == 0 ? "The archive holds no files."
                : expanded > maxExpandedBytes ? $"The archive expands to more than {PackageVersion.Describe(maxExpandedBytes)}."
                : format == PackageFormat.Nupkg && !nuspec ? "A .nupkg holds a .nuspec file at its root; this one does not."
                : null;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or NotSupportedException or IOException)
        {
            return $"The file is not a valid {Describe(format)} archive, or it was cut short: {e.Message}";
        }
    }

    private static async Task<(int Files, long Expanded, bool Nuspec)> ReadZipAsync(string path, long max, CancellationToken cancellationToken)
    {
        await using var zip = await ZipFile.OpenReadAsync(path, cancellationToken);
        int files = 0;
        long expanded = 0;
        var nuspec = false;
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName.EndsWith('/'))
            {
                continue;
            }
            files++;
            nuspec |= !entry.FullName.Contains('/') && entry.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase);
            await using var data = await entry.OpenAsync(cancellationToken);
            expanded += await CountAsync(data, max - expanded, cancellationToken);
            if (expanded > max)
            {
                break;
            }
        }
        return (files, expanded, nuspec);
    }

    private static async Task<(int Files, long Expanded, bool Nuspec)> ReadTarGzAsync(string path, long max, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        int files = 0;
        long expanded = 0;
        while (await tar.GetNextEntryAsync(cancellationToken: cancellationToken) is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                files++;
            }
            if (entry.DataStream is { } data)
            {
                expanded += await CountAsync(data, max - expanded, cancellationToken);
                if (expanded > max)
                {
                    break;
                }
            }
        }
        // Past the tar's end (padding, usually): read to the gzip's end, which checks its length and CRC.
        await CountAsync(gzip, max, cancellationToken);
        return (files, expanded, false);
    }

    /// <summary>Reads a stream to its end, or to just past <paramref name="budget"/> bytes; returns how much it read.</summary>
    private static async Task<long> CountAsync(Stream data, long budget, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long count = 0;
        int read;
        while (count <= budget && (read = await data.ReadAsync(buffer, cancellationToken)) > 0)
        {
            count += read;
        }
        return count;
    }

    private static string Describe(PackageFormat format) => format switch
    {
        PackageFormat.TarGz => ".tar.gz",
        PackageFormat.Nupkg => ".nupkg (zip)",
        _ => ".zip",
    };
}
