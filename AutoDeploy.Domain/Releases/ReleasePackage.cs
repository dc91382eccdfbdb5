using AutoDeploy.Domain.Packages;

namespace AutoDeploy.Domain.Releases;

/// <summary>A package version a release pins: every deployment of the release installs exactly this one.</summary>
public sealed class ReleasePackage
{
    public string PackageId { get; private set; } = "";

    /// <summary>Upper-cased id, as the repository's key.</summary>
    public string NormalizedPackageId { get; private set; } = "";

    public string Version { get; private set; } = "";

    private ReleasePackage()
    {
    }

    public static ReleasePackage Pin(string packageId, string version) =>
        new() { PackageId = packageId, NormalizedPackageId = PackageIdentity.Normalize(packageId), Version = version };
}
