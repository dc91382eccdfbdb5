namespace AutoDeploy.Domain.Machines;

/// <summary>What a user or API client submits to change a machine.</summary>
public sealed class MachineInput
{
    public string Name { get; set; } = "";
    public List<int> EnvironmentIds { get; set; } = [];
    public List<string> Roles { get; set; } = [];
    public int? MachinePolicyId { get; set; }
    public bool IsEnabled { get; set; } = true;
}
