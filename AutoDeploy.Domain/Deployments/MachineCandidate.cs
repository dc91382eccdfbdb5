using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Domain.Deployments;

/// <summary>What target selection needs to know about a machine in the deployment's environment.</summary>
public sealed record MachineCandidate(int Id, string Name, IReadOnlyList<string> Roles, bool IsEnabled, MachineHealthStatus Health);
