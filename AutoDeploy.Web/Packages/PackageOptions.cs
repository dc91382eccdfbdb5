namespace AutoDeploy.Web.Packages;

/// <summary>The <c>Packages</c> configuration section: where package files live and how large they may be.</summary>
public sealed class PackageOptions
{
    public const string Section = "Packages";

    /// <summary>
    /// The folder of package files; empty: <c>packages</c> in the database's data folder (beside the SQLite file).
    /// With several nodes, a folder all of them share (see docs/architecture.md).
    /// </summary>
    public string Folder { get; set; } = "";

    /// <summary>The largest upload taken (413 above): 2 GiB.</summary>
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>The most an archive may expand to when its contents are checked (400 above): 8 GiB.</summary>
    public long MaxExpandedBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>
    /// Retention: a version no release pins is deleted once it is older than this (30 days), except the latest version of
    /// each package, which the next release may take. Zero: keep every version.
    /// </summary>
    public TimeSpan RetainUnusedFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention sweep runs.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);
}
