namespace AutoDeploy.Domain.Deployments;

/// <summary>
/// The machine whose leave a leave hook's deployment answers, as it was, and the event it left with: the hook's
/// scripts get it as variables (<see cref="DeploymentVariables"/>), and the deployment does not run on it.
/// </summary>
public sealed record LeavingMachine(int MachineId, string Name, IReadOnlyList<string> Roles, string EventCategory, long EventId);
