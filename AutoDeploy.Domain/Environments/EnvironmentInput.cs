namespace AutoDeploy.Domain.Environments;

/// <summary>What a user or API client submits to create or change an environment.</summary>
public sealed class EnvironmentInput
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
}
