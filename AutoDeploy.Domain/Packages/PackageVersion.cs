using System.Globalization;
using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Packages;

/// <summary>
/// One uploaded version of a package in the built-in repository: its id and SemVer version, archive format, SHA-256
/// and size. The file itself lives in the package store; this row is what the server knows of it.
/// </summary>
public sealed class PackageVersion : EventSource
{
    public override string DocumentType => "Package";

    public string PackageId { get; private set; } = "";

    /// <summary>Upper-cased id: the case-insensitive key, with <see cref="Version"/>.</summary>
    public string NormalizedPackageId { get; private set; } = "";

    public string Version { get; private set; } = "";

    public PackageFormat Format { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    public string Sha256 { get; private set; } = "";

    public long Size { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }

    private PackageVersion()
    {
    }

    public static PackageVersion Upload(string packageId, string version, PackageFormat format, string sha256, long size, DateTimeOffset now)
    {
        var package = new PackageVersion
        {
            PackageId = packageId.Trim(),
            NormalizedPackageId = PackageIdentity.Normalize(packageId),
            Version = version.Trim(),
        };
        package.Replace(format, sha256, size, now);
        return package;
    }

    /// <summary>A new file for the same id and version (asked for explicitly, and only while no release uses it).</summary>
    public void Replace(PackageFormat format, string sha256, long size, DateTimeOffset now)
    {
        var replacing = Sha256.Length > 0;
        Format = format;
        Sha256 = sha256;
        Size = size;
        UploadedAt = now;
        Raise(new DomainEvent(EventCategories.PackageUploaded,
            $"{PackageId} {Version} {(replacing ? "replaced" : "uploaded")}: {Describe(size)}, SHA-256 {sha256[..12]}…"));
    }

    /// <summary>Records the deletion (and why, when it was not a person's choice); the caller removes the row and the file.</summary>
    public void Delete(string? reason = null) =>
        Raise(new DomainEvent(EventCategories.PackageDeleted, $"{PackageId} {Version} deleted{(reason is null ? "" : $": {reason}")}."));

    public static string Describe(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.##} GB"),
    };
}
