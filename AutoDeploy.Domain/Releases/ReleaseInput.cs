namespace AutoDeploy.Domain.Releases;

/// <summary>What a user or CI submits to create a release of a project.</summary>
public sealed class ReleaseInput
{
    public string Version { get; set; } = "";
    public string? Notes { get; set; }

    /// <summary>The version to pin per package id its steps deploy; a package left out gets its latest version.</summary>
    public Dictionary<string, string> Packages { get; set; } = [];
}
