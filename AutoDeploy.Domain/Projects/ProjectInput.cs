namespace AutoDeploy.Domain.Projects;

/// <summary>What a user or API client submits to create or change a project, saved as a whole.</summary>
public sealed class ProjectInput
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public bool IsEnabled { get; set; } = true;

    /// <summary>The deployment process in order; a project may be saved with none, but not released.</summary>
    public List<DeploymentStep> Steps { get; set; } = [];

    public List<VariableInput> Variables { get; set; } = [];
    public ConnectivitySettings Connectivity { get; set; } = new();
}

/// <summary>
/// A project variable as submitted. For a sensitive variable, a null value or the mask means
/// "keep the stored value": screens and the API only ever see the mask.
/// </summary>
public sealed class VariableInput
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
    public int? EnvironmentId { get; set; }
    public bool IsSensitive { get; set; }

    public bool KeepsStoredValue => IsSensitive && (Value is null || Value == ProjectVariable.Mask);
}
