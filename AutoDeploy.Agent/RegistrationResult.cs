namespace AutoDeploy.Agent;

/// <summary>What <c>register --output json</c> prints: the machine, its server, where its token is kept, and the registration it replaced.</summary>
public sealed record RegistrationResult(int MachineId, string Name, string Server, string SettingsFile, int? ReplacedMachineId);
