using System.Formats.Tar;
using System.IO.Compression;
using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Packages;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Backup;

/// <summary>
/// A consistent backup of a running single-node server on SQLite, as one <c>.tar.gz</c>: <c>autodeploy.db</c>, a snapshot
/// taken with SQLite's <c>VACUUM INTO</c> (one read transaction, while the server keeps working), and <c>packages/</c>,
/// the package files, copied after it (so every package the snapshot knows is there). The Data Protection keys are in
/// the database; the key ring's certificate, if any, is not, and is backed up on its own (README, "Secrets").
/// </summary>
public sealed class BackupService(IDbContextFactory<AutoDeployDbContext> factory, PackageStore packages)
{
    public const string DatabaseEntry = "autodeploy.db";
    public const string PackagesEntry = "packages/";

    /// <summary>Only SQLite: a PostgreSQL server is backed up with <c>pg_dump</c> (README).</summary>
    public async Task<bool> IsSupportedAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return db.Database.IsSqlite();
    }

    public async Task WriteAsync(Stream output, CancellationToken cancellationToken)
    {
        var snapshot = Path.Combine(Path.GetTempPath(), $"autodeploy-backup-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            {
                db.Record(new DomainEvent(EventCategories.BackupTaken, "A backup of the database and the packages was taken"));
                await db.SaveChangesAsync(cancellationToken);
                await db.Database.ExecuteSqlAsync($"VACUUM INTO {snapshot}", cancellationToken);
            }
            await using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
            await using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
            await tar.WriteEntryAsync(snapshot, DatabaseEntry, cancellationToken);
            foreach (var file in packages.Files())
            {
                await tar.WriteEntryAsync(file, PackagesEntry + Path.GetRelativePath(packages.Root, file).Replace('\\', '/'), cancellationToken);
            }
        }
        finally
        {
            File.Delete(snapshot);
        }
    }
}
