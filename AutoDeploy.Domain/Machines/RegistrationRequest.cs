namespace AutoDeploy.Domain.Machines;

/// <summary>An agent's registration: machine name, environment names, roles and an optional policy name.</summary>
public sealed class RegistrationRequest
{
    public string Name { get; set; } = "";
    public List<string> Environments { get; set; } = [];
    public List<string> Roles { get; set; } = [];
    public string? Policy { get; set; }
    public string? AgentVersion { get; set; }
}
