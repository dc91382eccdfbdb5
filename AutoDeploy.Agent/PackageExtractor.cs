using System.Formats.Tar;
using System.IO.Compression;
using AutoDeploy.Domain.Packages;

namespace AutoDeploy.Agent;

/// <summary>
/// Extracts a package archive into a folder, all or nothing: into a sibling folder first, moved into place when
/// complete. Refused, with the entry named: a path that leaves the folder (<c>../</c>, absolute), a link that is
/// absolute or climbs (<c>..</c>) — so no chain of links can lead out either —, a hard link or a zip link, a device,
/// and an archive that expands past <c>maxBytes</c> (counted as written, not as the archive claims).
/// </summary>
public static class PackageExtractor
{
    public static async Task ExtractAsync(string archive, PackageFormat format, string target, long maxBytes, CancellationToken ct)
    {
        target = Path.GetFullPath(target);
        var staging = $"{target}.extracting-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            var budget = new Budget(maxBytes);
            if (format == PackageFormat.TarGz)
            {
                await ExtractTarGzAsync(archive, staging, budget, ct);
            }
            else
            {
                await ExtractZipAsync(archive, staging, budget, ct);
            }
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
            Directory.Move(staging, target);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new PackageInstallException($"The package is not a valid archive: {e.Message}");
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static async Task ExtractZipAsync(string archive, string root, Budget budget, CancellationToken ct)
    {
        await using var zip = await ZipFile.OpenReadAsync(archive, ct);
        foreach (var entry in zip.Entries)
        {
            var path = Inside(root, entry.FullName);
            var unixMode = (entry.ExternalAttributes >> 16) & 0xFFFF;
            if ((unixMode & 0xF000) == 0xA000)
            {
                throw new PackageInstallException($"The package's entry '{entry.FullName}' is a link; zip packages cannot hold links.");
            }
            if (entry.FullName.EndsWith('/'))
            {
                Directory.CreateDirectory(path);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using (var data = await entry.OpenAsync(ct))
            {
                await WriteAsync(data, path, entry.FullName, budget, ct);
            }
            if ((unixMode & 0x1FF) != 0 && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)(unixMode & 0x1FF));
            }
        }
    }

    private static async Task ExtractTarGzAsync(string archive, string root, Budget budget, CancellationToken ct)
    {
        await using var file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(cancellationToken: ct) is { } entry)
        {
            var path = Inside(root, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    if (entry.DataStream is { } data)
                    {
                        await WriteAsync(data, path, entry.Name, budget, ct);
                    }
                    else
                    {
                        await File.WriteAllBytesAsync(path, [], ct);
                    }
                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(path, entry.Mode & (UnixFileMode)0x1FF);
                    }
                    break;
                case TarEntryType.SymbolicLink:
                    var link = entry.LinkName;
                    if (Path.IsPathRooted(link) || link.Split('/', '\\').Contains(".."))
                    {
                        throw new PackageInstallException(
                            $"The package's link '{entry.Name}' points to '{link}', outside its folder; links must stay inside the package.");
                    }
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.CreateSymbolicLink(path, link);
                    break;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                    break;
                default:
                    throw new PackageInstallException($"The package's entry '{entry.Name}' is a {entry.EntryType}, which packages cannot hold.");
            }
        }
    }

    /// <summary>The full path of an entry, refused when it leaves <paramref name="root"/>.</summary>
    private static string Inside(string root, string entryName)
    {
        var path = Path.GetFullPath(Path.Combine(root, entryName));
        if (Path.IsPathRooted(entryName) || !(path + Path.DirectorySeparatorChar).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new PackageInstallException($"The package's entry '{entryName}' would be written outside its folder; it is refused.");
        }
        return path;
    }

    private static async Task WriteAsync(Stream data, string path, string entryName, Budget budget, CancellationToken ct)
    {
        // CreateNew: never through a link an earlier entry made.
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        int read;
        while ((read = await data.ReadAsync(buffer, ct)) > 0)
        {
            budget.Take(read, entryName);
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    private sealed class Budget(long max)
    {
        private long _used;

        public void Take(long bytes, string entryName)
        {
            _used += bytes;
            if (_used > max)
            {
                throw new PackageInstallException(
                    $"The package expands to more than {max} bytes (at '{entryName}'); it is refused as a possible archive bomb.");
            }
        }
    }
}
