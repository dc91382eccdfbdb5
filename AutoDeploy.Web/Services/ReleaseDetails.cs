using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;

namespace AutoDeploy.Web.Services;

/// <summary>A row of a project's release list.</summary>
public sealed record ReleaseSummary(int Id, int ProjectId, string Version, string? Notes, DateTimeOffset CreatedAt)
{
    public static ReleaseSummary From(Release release) =>
        new(release.Id, release.ProjectId, release.Version, release.Notes, release.CreatedAt);
}

/// <summary>A release with the snapshot of the process and variables it was created with; sensitive values masked.</summary>
public sealed record ReleaseDetails(
    int Id,
    int ProjectId,
    string ProjectName,
    string Version,
    string? Notes,
    DateTimeOffset CreatedAt,
    IReadOnlyList<DeploymentStep> Steps,
    IReadOnlyList<VariableView> Variables,
    IReadOnlyList<PinnedPackage> Packages)
{
    public static ReleaseDetails From(Release release, string projectName) => new(
        release.Id, release.ProjectId, projectName, release.Version, release.Notes, release.CreatedAt,
        release.Steps, release.Variables.Select(VariableView.From).ToList(),
        release.Packages.Select(p => new PinnedPackage(p.PackageId, p.Version)).ToList());
}

/// <summary>A package version a release deploys.</summary>
public sealed record PinnedPackage(string PackageId, string Version);
