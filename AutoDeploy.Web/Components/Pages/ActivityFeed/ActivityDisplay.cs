using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Feed;
using MudBlazor;

namespace AutoDeploy.Web.Components.Pages.ActivityFeed;

/// <summary>A link from an event to a document it names.</summary>
public sealed record ActivityLink(string Label, string Href);

/// <summary>How the feed shows an event: an icon per group, a colour per outcome, links to the documents it names.</summary>
public static class ActivityDisplay
{
    private static readonly HashSet<string> Failures =
    [
        EventCategories.DeploymentFailed, EventCategories.AutoDeployBlocked, EventCategories.MachineUnhealthy,
        EventCategories.MachineCleanupFailed, EventCategories.Deleted, EventCategories.MachineDeleted,
    ];

    private static readonly HashSet<string> Warnings =
    [
        EventCategories.DeploymentCanceled, EventCategories.MachineHasWarnings, EventCategories.MachineUnavailable,
        EventCategories.MachineDisabled,
    ];

    private static readonly HashSet<string> Successes =
    [
        EventCategories.DeploymentSucceeded, EventCategories.AutoDeployTriggered, EventCategories.MachineHealthy,
        EventCategories.MachineEnabled, EventCategories.MachineAdded, EventCategories.Created, EventCategories.ReleaseCreated,
    ];

    public static string IconOf(string group) => group switch
    {
        ActivityGroups.Deployments => Icons.Material.Filled.PlayCircle,
        ActivityGroups.Machines => Icons.Material.Filled.Dns,
        ActivityGroups.AutoDeploy => Icons.Material.Filled.AutoMode,
        ActivityGroups.Releases => Icons.Material.Filled.NewReleases,
        _ => Icons.Material.Filled.Edit,
    };

    public static Color ColorOf(string category) => category switch
    {
        _ when Failures.Contains(category) => Color.Error,
        _ when Warnings.Contains(category) => Color.Warning,
        _ when Successes.Contains(category) => Color.Success,
        _ => Color.Info,
    };

    /// <summary>The documents an event names, except one it deleted (its screen is gone).</summary>
    public static IReadOnlyList<ActivityLink> LinksOf(ActivityEvent e)
    {
        var deleted = e.Category is EventCategories.Deleted or EventCategories.MachineDeleted ? e.DocumentType : null;
        var links = new List<ActivityLink>();
        void Add(string type, int? id, string label, string href)
        {
            if (id is not null && deleted != type)
            {
                links.Add(new ActivityLink(label, href));
            }
        }
        Add("Deployment", e.DeploymentId, $"Deployment {e.DeploymentId}", $"/deployments/{e.DeploymentId}");
        Add("Release", e.ReleaseId, $"Release {e.ReleaseId}", $"/releases/{e.ReleaseId}");
        Add("Project", e.ProjectId, $"Project {e.ProjectId}", $"/projects/{e.ProjectId}");
        Add("Machine", e.MachineId, $"Machine {e.MachineId}", $"/machines/{e.MachineId}");
        Add("Trigger", e.TriggerId, $"Trigger {e.TriggerId}", $"/triggers/{e.TriggerId}");
        Add("MachinePolicy", e.PolicyId, $"Policy {e.PolicyId}", $"/machine-policies/{e.PolicyId}");
        Add("Environment", e.EnvironmentId, $"Environment {e.EnvironmentId}", "/environments");
        return links;
    }
}
