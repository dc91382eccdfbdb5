using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Domain.Releases;

/// <summary>An immutable, versioned snapshot of a project's process and variables, and the package versions it deploys.</summary>
public sealed class Release : EventSource
{
    public const int MaxNotesLength = 10_000;

    public override string DocumentType => "Release";

    public int ProjectId { get; private set; }
    public string Version { get; private set; } = "";
    public string? Notes { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public List<DeploymentStep> Steps { get; private set; } = [];
    public List<ProjectVariable> Variables { get; private set; } = [];

    /// <summary>The version of each package its steps deploy, chosen when the release was created.</summary>
    public List<ReleasePackage> Packages { get; private set; } = [];

    public SemanticVersion SemanticVersion =>
        SemanticVersion.TryParse(Version, out var version) ? version : throw new InvalidOperationException($"'{Version}' is not SemVer.");

    public static Release Create(Project project, SemanticVersion version, string? notes, DateTimeOffset now,
        IReadOnlyList<ReleasePackage>? packages = null)
    {
        var release = new Release
        {
            ProjectId = project.Id,
            Version = version.ToString(),
            Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim(),
            CreatedAt = now,
            Steps = project.Steps.Select(s => s with { Roles = [.. s.Roles], SubstituteInFiles = [.. s.SubstituteInFiles] }).ToList(),
            Variables = [.. project.Variables],
            Packages = [.. packages ?? []],
        };
        release.Raise(new DomainEvent(EventCategories.ReleaseCreated,
            $"Release {release.Version} of '{project.Name}' was created", new EventLinks(ProjectId: project.Id)));
        return release;
    }
}
