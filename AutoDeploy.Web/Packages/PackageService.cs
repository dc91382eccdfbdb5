using AutoDeploy.Domain.Packages;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Packages;

/// <summary>One version of a package, as lists and the API show it.</summary>
public sealed record PackageVersionSummary(int Id, string PackageId, string Version, PackageFormat Format, string Sha256, long Size,
    DateTimeOffset UploadedAt)
{
    public static PackageVersionSummary Of(PackageVersion p) => new(p.Id, p.PackageId, p.Version, p.Format, p.Sha256, p.Size, p.UploadedAt);
}

/// <summary>A package with its latest version (by SemVer) and how many versions it has.</summary>
public sealed record PackageSummary(string PackageId, string LatestVersion, int Versions, long LatestSize, DateTimeOffset LastUploadedAt);

/// <summary>What an upload says about itself: a file name (<c>shop.1.4.2.zip</c>), or an id and version, and whether to replace.</summary>
public sealed record PackageUploadRequest(string? FileName, string? PackageId = null, string? Version = null, bool Replace = false);

/// <summary>The built-in package repository: upload (streamed, hashed, verified, then moved into place), list, read, delete.</summary>
public sealed class PackageService(IDbContextFactory<AutoDeployDbContext> factory, PackageStore store, IOptions<PackageOptions> options,
    TimeProvider time, ILogger<PackageService> logger)
{
    public const int DefaultListPage = 50;
    public const int MaxListPage = 500;

    public async Task<SaveResult<PackageVersionSummary>> UploadAsync(Stream content, PackageUploadRequest request, CancellationToken cancellationToken)
    {
        var identified = Identify(request);
        if (identified.Problem is { } problem)
        {
            return problem;
        }
        var (packageId, version, format) = identified.Value;
        await using var upload = store.CreateTemporary();
        var (sha256, size) = await upload.WriteAsync(content, cancellationToken);
        if (size == 0)
        {
            return SaveResult.Invalid("file", "The upload is empty: send the package's bytes as the body (curl --data-binary @file) or as a form file.");
        }
        if (await PackageArchive.ProblemAsync(upload.Path, format, options.Value.MaxExpandedBytes, cancellationToken) is { } broken)
        {
            return SaveResult.Invalid("file", broken);
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var normalized = PackageIdentity.Normalize(packageId);
        var package = await db.PackageVersions.SingleOrDefaultAsync(p => p.NormalizedPackageId == normalized && p.Version == version, cancellationToken);
        if (package is not null && !request.Replace)
        {
            return SaveResult.Conflict($"{package.PackageId} {version} is already in the repository; upload with replace=true to replace it.");
        }
        if (package is not null && await ReleasePackages.UsersAsync(db, normalized, version, cancellationToken) is { Count: > 0 } users)
        {
            return InUse(package, users, "replaced");
        }
        var previousPath = package is null ? null : store.PathOf(package);
        var isNew = package is null;
        if (package is null)
        {
            package = PackageVersion.Upload(packageId, version, format, sha256, size, time.GetUtcNow());
            db.PackageVersions.Add(package);
        }
        else
        {
            package.Replace(format, sha256, size, time.GetUtcNow());
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (isNew)
        {
            return SaveResult.Conflict($"{packageId} {version} was uploaded by someone else at the same moment; list the versions to see it.");
        }
        store.MoveIntoPlace(upload, package);
        if (previousPath is not null && previousPath != store.PathOf(package))
        {
            File.Delete(previousPath);
        }
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult<PackageVersionSummary>(SaveResult.Saved, PackageVersionSummary.Of(package));
    }

    /// <summary>Packages whose id contains <paramref name="search"/>, by id, with their latest version.</summary>
    public async Task<IReadOnlyList<PackageSummary>> ListAsync(string? search, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.PackageVersions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var needle = PackageIdentity.Normalize(search);
            query = query.Where(p => p.NormalizedPackageId.Contains(needle));
        }
        var ids = await query.Select(p => p.NormalizedPackageId).Distinct().OrderBy(id => id).Take(take).ToListAsync(cancellationToken);
        var versions = await db.PackageVersions.AsNoTracking().Where(p => ids.Contains(p.NormalizedPackageId)).ToListAsync(cancellationToken);
        return versions.GroupBy(p => p.NormalizedPackageId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var latest = ReleaseVersions.NewestFirst(g, p => p.Version).First();
            return new PackageSummary(latest.PackageId, latest.Version, g.Count(), latest.Size, g.Max(p => p.UploadedAt));
        }).ToList();
    }

    /// <summary>Every version of a package, newest (by SemVer) first; null when there is no such package.</summary>
    public async Task<IReadOnlyList<PackageVersionSummary>?> VersionsAsync(string packageId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var normalized = PackageIdentity.Normalize(packageId);
        var versions = await db.PackageVersions.AsNoTracking().Where(p => p.NormalizedPackageId == normalized).ToListAsync(cancellationToken);
        return versions.Count == 0 ? null : ReleaseVersions.NewestFirst(versions, p => p.Version).Select(PackageVersionSummary.Of).ToList();
    }

    public async Task<PackageVersionSummary?> GetAsync(string packageId, string version, CancellationToken cancellationToken = default) =>
        await FindAsync(packageId, version, cancellationToken) is { } package ? PackageVersionSummary.Of(package) : null;

    /// <summary>A version and the path of its file, for a download; null when there is no such version.</summary>
    public async Task<(PackageVersionSummary Package, string Path)?> FileAsync(string packageId, string version, CancellationToken cancellationToken = default) =>
        await FindAsync(packageId, version, cancellationToken) is { } package ? (PackageVersionSummary.Of(package), store.PathOf(package)) : null;

    /// <summary>Whether a deployment to the machine installs this package version: what its agent may download.</summary>
    public async Task<bool> MachineDeploysAsync(int machineId, string packageId, string version, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var normalized = PackageIdentity.Normalize(packageId);
        var normalVersion = PackageIdentity.NormalVersion(version);
        return await db.DeploymentTargets.Where(t => t.MachineId == machineId)
            .Join(db.Deployments, t => t.DeploymentId, d => d.Id, (t, d) => d.ReleaseId)
            .Join(db.Releases, releaseId => releaseId, r => r.Id, (_, r) => r)
            .AnyAsync(r => r.Packages.Any(p => p.NormalizedPackageId == normalized && p.Version == normalVersion), cancellationToken);
    }

    /// <summary>Deletes a version; with a <paramref name="reason"/> (the retention sweep's) in its event.</summary>
    public async Task<SaveResult> DeleteAsync(string packageId, string version, CancellationToken cancellationToken = default, string? reason = null)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var package = await Find(db.PackageVersions, packageId, version).SingleOrDefaultAsync(cancellationToken);
        if (package is null)
        {
            return NotFound(packageId, version);
        }
        if (await ReleasePackages.UsersAsync(db, package.NormalizedPackageId, package.Version, cancellationToken) is { Count: > 0 } users)
        {
            return InUse(package, users, "deleted");
        }
        package.Delete(reason);
        db.PackageVersions.Remove(package);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            store.Delete(package);
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "{PackageId} {Version} is deleted, but its file {Path} could not be", package.PackageId, version, store.PathOf(package));
        }
        return SaveResult.Saved;
    }

    /// <summary>A version releases deploy stays as it is: what was released is what every machine gets.</summary>
    private static SaveResult InUse(PackageVersion package, List<string> releases, string change) =>
        SaveResult.Conflict($"{package.PackageId} {package.Version} cannot be {change}: release {string.Join(", ", releases)} deploys it.");

    public static SaveResult NotFound(string packageId, string version) =>
        SaveResult.NotFound($"Package {TextRules.Cut(packageId, 100)} {TextRules.Cut(version, 100)} is not in the repository.");

    private async Task<PackageVersion?> FindAsync(string packageId, string version, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await Find(db.PackageVersions.AsNoTracking(), packageId, version).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The version of a package, the id without case and the version in its SemVer form (1.4.2 for " 1.4.2").</summary>
    private static IQueryable<PackageVersion> Find(IQueryable<PackageVersion> packages, string packageId, string version)
    {
        var normalized = PackageIdentity.Normalize(packageId);
        var normalVersion = PackageIdentity.NormalVersion(version);
        return packages.Where(p => p.NormalizedPackageId == normalized && p.Version == normalVersion);
    }

    /// <summary>The id, version and format an upload names, or the 400 that says what is missing or wrong.</summary>
    private static (SaveResult? Problem, (string Id, string Version, PackageFormat Format) Value) Identify(PackageUploadRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var fileName = Path.GetFileName(request.FileName?.Trim() ?? "");
        string? id = request.PackageId?.Trim(), version = request.Version?.Trim();
        var format = PackageFormat.Zip;
        if (fileName.Length == 0 || !PackageFormats.TryFromFileName(fileName, out format, out var stem))
        {
            errors["fileName"] = [$"Name the file, ending in one of {PackageFormats.KnownEndings} (e.g. fileName=shop.1.4.2.zip)."];
        }
        else if ((string.IsNullOrEmpty(id) || string.IsNullOrEmpty(version)) && PackageIdentity.TrySplit(stem, out var fromId, out var fromVersion))
        {
            id = string.IsNullOrEmpty(id) ? fromId : id;
            version = string.IsNullOrEmpty(version) ? fromVersion : version;
        }
        if (!errors.ContainsKey("fileName"))
        {
            if (PackageIdentity.IdProblem(id) is { } idProblem)
            {
                errors["packageId"] = [string.IsNullOrEmpty(id) ? $"{idProblem} The file name '{TextRules.Cut(fileName, 100)}' does not say it (id.version{format.Extension()})." : idProblem];
            }
            if (PackageIdentity.VersionProblem(version) is { } versionProblem)
            {
                errors["version"] = [versionProblem];
            }
        }
        return errors.Count > 0
            ? (new SaveResult(SaveStatus.Invalid, "The upload does not say which package and version it is.", errors), default)
            : (null, (id!, PackageIdentity.NormalVersion(version!), format));
    }
}
