namespace AutoDeploy.Domain.Releases;

/// <summary>What a user or CI submits to create a release of a project.</summary>
public sealed class ReleaseInput
{
    public string Version { get; set; } = "";
    public string? Notes { get; set; }
}
