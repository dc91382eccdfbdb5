using System.Security.Cryptography;
using AutoDeploy.Domain.Packages;

namespace AutoDeploy.Web.Packages;

/// <summary>
/// Package files in a folder: <c>&lt;id&gt;/&lt;id&gt;.&lt;version&gt;&lt;ending&gt;</c>, ids in lower case. An upload
/// is written to <c>.uploads/</c> first and moved into place only once it is complete, verified and recorded, so a cut
/// upload leaves no file where a download could find it (and is deleted at once, or at the next start).
/// </summary>
public sealed class PackageStore
{
    private const string UploadsFolder = ".uploads";

    public PackageStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(Root, UploadsFolder));
    }

    public string Root { get; }

    public string PathOf(PackageVersion package)
    {
        var id = package.NormalizedPackageId.ToLowerInvariant();
        return Path.Combine(Root, id, $"{id}.{package.Version}{package.Format.Extension()}");
    }

    /// <summary>A new temporary file for an upload; disposing it deletes the file unless it was moved into place.</summary>
    public TemporaryPackage CreateTemporary() => new(Path.Combine(Root, UploadsFolder, $"{Guid.NewGuid():N}.part"));

    /// <summary>Moves a complete upload into place, over the previous file of the same id and version if any.</summary>
    public void MoveIntoPlace(TemporaryPackage upload, PackageVersion package)
    {
        var target = PathOf(package);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(upload.Path, target, overwrite: true);
        upload.Placed = true;
    }

    public void Delete(PackageVersion package) => File.Delete(PathOf(package));

    /// <summary>
    /// Uploads left by a server that stopped in the middle of one: those untouched for a day (with a shared folder, the
    /// other nodes' uploads in progress are younger).
    /// </summary>
    public void DeleteAbandonedUploads(DateTimeOffset now)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, UploadsFolder), "*.part"))
        {
            if (now - File.GetLastWriteTimeUtc(file) > TimeSpan.FromDays(1))
            {
                File.Delete(file);
            }
        }
    }

    public IEnumerable<string> Uploads() => Directory.EnumerateFiles(Path.Combine(Root, UploadsFolder));

    /// <summary>Every stored package file, without unfinished uploads.</summary>
    public IEnumerable<string> Files() => Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
        .Where(f => !Path.GetRelativePath(Root, f).StartsWith(UploadsFolder, StringComparison.Ordinal));
}

/// <summary>An upload being written: its SHA-256 and size are computed as it streams to disk.</summary>
public sealed class TemporaryPackage(string path) : IAsyncDisposable
{
    public string Path { get; } = path;

    public bool Placed { get; internal set; }

    /// <summary>Copies <paramref name="content"/> to the file; returns its lower-case hex SHA-256 and size.</summary>
    public async Task<(string Sha256, long Size)> WriteAsync(Stream content, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            size += read;
        }
        await file.FlushAsync(cancellationToken);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    public ValueTask DisposeAsync()
    {
        if (!Placed)
        {
            File.Delete(Path);
        }
        return ValueTask.CompletedTask;
    }
}
