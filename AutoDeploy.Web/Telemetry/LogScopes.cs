namespace AutoDeploy.Web.Telemetry;

/// <summary>
/// The ids put on log lines as scopes, so a log shipper (the JSON console formatter with <c>IncludeScopes</c>) can
/// filter by deployment, trigger or machine. Bounded: a burst's deployment names at most <see cref="MaxMachineIds"/> machines.
/// </summary>
public static class LogScopes
{
    public const int MaxMachineIds = 20;

    public static Dictionary<string, object?> Deployment(int deploymentId) => new() { ["DeploymentId"] = deploymentId };

    public static Dictionary<string, object?> AutoDeployment(int deploymentId, int? triggerId, IReadOnlyCollection<int> machineIds) => new()
    {
        ["DeploymentId"] = deploymentId,
        ["TriggerId"] = triggerId,
        ["MachineIds"] = string.Join(",", machineIds.Take(MaxMachineIds)) + (machineIds.Count > MaxMachineIds ? $",… ({machineIds.Count})" : ""),
    };
}
