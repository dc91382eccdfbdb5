using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Triggers;

/// <summary>Pins the release to auto-deploy for one project and environment, until the next deployment there clears it.</summary>
public sealed class AutoDeployOverride : EventSource
{
    public override string DocumentType => "AutoDeployOverride";

    public int ProjectId { get; private set; }
    public int EnvironmentId { get; private set; }
    public int ReleaseId { get; private set; }
    public string ReleaseVersion { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public static AutoDeployOverride Set(int projectId, int environmentId, int releaseId, string releaseVersion, string description, DateTimeOffset now)
    {
        var pin = new AutoDeployOverride
        {
            ProjectId = projectId, EnvironmentId = environmentId, ReleaseId = releaseId, ReleaseVersion = releaseVersion, CreatedAt = now,
        };
        pin.Raise(new DomainEvent(Events.EventCategories.AutoDeployOverrideSet, $"Auto-deploy of {description} pinned to release {releaseVersion}",
            new EventLinks(EnvironmentId: environmentId, ProjectId: projectId, ReleaseId: releaseId)));
        return pin;
    }

    /// <summary>Raises the event; the caller removes the override in the same save.</summary>
    public void Clear(string description, string why) =>
        Raise(new DomainEvent(Events.EventCategories.AutoDeployOverrideCleared,
            $"Auto-deploy override of {description} (release {ReleaseVersion}) cleared: {why}",
            new EventLinks(EnvironmentId: EnvironmentId, ProjectId: ProjectId, ReleaseId: ReleaseId)));
}
