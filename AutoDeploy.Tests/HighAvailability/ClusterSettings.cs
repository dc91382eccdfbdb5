using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>The environment variables every node of the test cluster starts with: PostgreSQL, and timings shortened for a test.</summary>
internal static class ClusterSettings
{
    public static IReadOnlyDictionary<string, string> For(string connectionString) => new Dictionary<string, string>
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Default"] = connectionString,
        ["Bootstrap__AdminEmail"] = AutoDeployAppFactory.AdminEmail,
        ["Bootstrap__AdminPassword"] = AutoDeployAppFactory.AdminPassword,
        ["Bootstrap__AdminApiKey"] = AutoDeployAppFactory.AdminApiKey,
        // A killed node's deployments are taken over within a few seconds, not the production 30 s.
        ["Node__LeaseDuration"] = "00:00:04",
        ["Tasks__LongPoll"] = "00:00:02",
        ["Tasks__RecheckInterval"] = "00:00:00.500",
        ["Tasks__LastSeenResolution"] = "00:00:01",
        ["Tasks__AgentLostAfter"] = "00:00:03",
        ["Tasks__PickupTimeout"] = "00:00:30",
        // Longer than a silent agent takes to lose its job, so a killed agent's step has failed before it is Unavailable.
        ["HealthChecks__UnavailableAfter"] = "00:00:08",
        ["HealthChecks__PickupTimeout"] = "00:00:10",
        ["AutoDeploy__ScanInterval"] = "00:00:05",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__AutoDeploy"] = "Information",
    };
}
