using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Feed;

namespace AutoDeploy.Tests.Feed;

public static class ActivityTestData
{
    public static ActivityEvent Event(long id, string category = EventCategories.Created, string? message = null,
        int? machineId = null, int? projectId = null, int? environmentId = null, int? deploymentId = null, int[]? environmentIds = null) =>
        new(id, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero).AddSeconds(id), category, ActivityGroups.Of(category),
            message ?? $"event {id}", "alice@example.com", null, null, machineId, environmentId, projectId, null, deploymentId, null, null,
            environmentIds ?? (environmentId is { } e ? [e] : []));
}
