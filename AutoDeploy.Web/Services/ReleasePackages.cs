using AutoDeploy.Domain.Packages;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>Which version of each package a new release pins, and which releases use a package version.</summary>
public static class ReleasePackages
{
    /// <summary>
    /// A version for each package the project's steps deploy: the one asked for, else the latest uploaded (by SemVer).
    /// A version not in the repository, a package with no version, or a package no step deploys is a 400 naming it.
    /// </summary>
    public static async Task<(SaveResult? Problem, List<ReleasePackage> Packages)> PinAsync(AutoDeployDbContext db, Project project,
        IReadOnlyDictionary<string, string> asked, CancellationToken cancellationToken)
    {
        var deployed = project.Steps.Where(s => s.PackageId is not null).Select(s => s.PackageId!)
            .DistinctBy(PackageIdentity.Normalize).ToList();
        var askedByKey = asked.ToDictionary(p => PackageIdentity.Normalize(p.Key), p => (Id: p.Key, Version: p.Value.Trim()));
        var keys = deployed.Select(PackageIdentity.Normalize).ToList();
        var versions = (await db.PackageVersions.AsNoTracking().Where(p => keys.Contains(p.NormalizedPackageId))
                .Select(p => new { p.NormalizedPackageId, p.PackageId, p.Version }).ToListAsync(cancellationToken))
            .ToLookup(p => p.NormalizedPackageId);
        var errors = new Dictionary<string, string[]>();
        var pins = new List<ReleasePackage>();
        foreach (var id in deployed)
        {
            var key = PackageIdentity.Normalize(id);
            var uploaded = versions[key].ToList();
            if (askedByKey.TryGetValue(key, out var wanted))
            {
                var normal = PackageIdentity.NormalVersion(wanted.Version);
                if (uploaded.FirstOrDefault(v => v.Version == normal) is { } found)
                {
                    pins.Add(ReleasePackage.Pin(found.PackageId, found.Version));
                }
                else
                {
                    errors[Field(wanted.Id)] = [$"Package {id} {normal} is not in the repository; upload it first, or leave it out for the latest."];
                }
            }
            else if (ReleaseVersions.NewestFirst(uploaded, v => v.Version).FirstOrDefault() is { } latest)
            {
                pins.Add(ReleasePackage.Pin(latest.PackageId, latest.Version));
            }
            else
            {
                errors[Field(id)] = [$"No version of package {id} has been uploaded yet; a step deploys it, so upload one first."];
            }
        }
        foreach (var (key, unused) in askedByKey.Where(p => !keys.Contains(p.Key)))
        {
            errors[Field(unused.Id)] = [$"No step of '{project.Name}' deploys a package {unused.Id}."];
        }
        return errors.Count > 0
            ? (new SaveResult(SaveStatus.Invalid, "The release's packages are not all available.", errors), [])
            : (null, pins);
    }

    /// <summary>The releases that pin this package version, as "1.0.0 of 'Shop'", a few at most.</summary>
    public static async Task<List<string>> UsersAsync(AutoDeployDbContext db, string normalizedPackageId, string version,
        CancellationToken cancellationToken) =>
        await db.Releases.AsNoTracking()
            .Where(r => r.Packages.Any(p => p.NormalizedPackageId == normalizedPackageId && p.Version == version))
            .Join(db.Projects, r => r.ProjectId, p => p.Id, (r, p) => r.Version + " of '" + p.Name + "'")
            .Take(5).ToListAsync(cancellationToken);

    private static string Field(string packageId) => $"{nameof(ReleaseInput.Packages)}[{packageId}]";
}
