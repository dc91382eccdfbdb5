using AutoDeploy.Domain.Events;

namespace AutoDeploy.Web.Feed;

/// <summary>
/// One committed event as the live feed publishes it: to Blazor components in the process and, as JSON, to
/// clients of <c>/hubs/activity</c>. <see cref="EnvironmentIds"/> are the environments it concerns: the event's own,
/// or for a machine's event the machine's environments when the event was read.
/// </summary>
public sealed record ActivityEvent(
    long Id,
    DateTimeOffset OccurredAt,
    string Category,
    string Group,
    string Message,
    string Actor,
    string? DocumentType,
    int? DocumentId,
    int? MachineId,
    int? EnvironmentId,
    int? ProjectId,
    int? ReleaseId,
    int? DeploymentId,
    int? TriggerId,
    int? PolicyId,
    IReadOnlyList<int> EnvironmentIds)
{
    /// <summary>Whether a user with this access may see the event (as <c>AccessFilters.Visible</c> says for the Event table).</summary>
    public bool VisibleTo(Domain.Permissions.Access access) =>
        (access.IsAdministrator || !EventCategories.AdministratorsOnly.Contains(Category)) && access.CanView(ProjectId, EnvironmentIds);

    public static ActivityEvent From(Event e, IReadOnlyList<int> environmentIds) => new(
        e.Id, e.OccurredAt, e.Category, ActivityGroups.Of(e.Category), e.Message, e.Actor, e.DocumentType, e.DocumentId,
        e.MachineId, e.EnvironmentId, e.ProjectId, e.ReleaseId, e.DeploymentId, e.TriggerId, e.PolicyId, environmentIds);
}
