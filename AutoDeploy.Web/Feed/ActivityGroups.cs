using AutoDeploy.Domain.Events;

namespace AutoDeploy.Web.Feed;

/// <summary>
/// The kinds of activity the feed shows with their own icon: every event category belongs to exactly one.
/// (The machine groups of <see cref="EventGroups"/> overlap, so they filter triggers, not the feed.)
/// </summary>
public static class ActivityGroups
{
    public const string Machines = "Machines";
    public const string Deployments = "Deployments";
    public const string Releases = "Releases";
    public const string AutoDeploy = "AutoDeploy";
    public const string Changes = "Changes";

    public static readonly IReadOnlyList<string> All = [Deployments, Machines, AutoDeploy, Releases, Changes];

    public static string Of(string category) => category switch
    {
        EventCategories.DeploymentQueued or EventCategories.DeploymentStarted or EventCategories.DeploymentSucceeded
            or EventCategories.DeploymentFailed or EventCategories.DeploymentCanceled => Deployments,
        EventCategories.ReleaseCreated => Releases,
        EventCategories.AutoDeployTriggered or EventCategories.AutoDeployBlocked or EventCategories.AutoDeployNoAction
            or EventCategories.AutoDeployNotApplicable
            or EventCategories.AutoDeployOverrideSet or EventCategories.AutoDeployOverrideCleared => AutoDeploy,
        _ when EventCategories.Machine.Contains(category) => Machines,
        _ => Changes,
    };

    /// <summary>The known categories of a group, for filtering in the database.</summary>
    public static IReadOnlyList<string> CategoriesOf(string group) => EventCategories.All.Where(c => Of(c) == group).ToList();

    public static string Label(string group) => group switch
    {
        AutoDeploy => "Auto-deploy",
        Changes => "Configuration changes",
        _ => group,
    };
}
