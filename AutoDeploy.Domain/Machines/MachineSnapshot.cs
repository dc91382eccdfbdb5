namespace AutoDeploy.Domain.Machines;

/// <summary>What a machine was when it was deleted: the details of its MachineDeleted event.</summary>
public sealed record MachineSnapshot(string Name, IReadOnlyList<string> Roles, IReadOnlyList<int> EnvironmentIds);
