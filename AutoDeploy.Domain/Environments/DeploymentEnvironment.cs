using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Environments;

/// <summary>A named stage such as Development, Test or Production.</summary>
public sealed class DeploymentEnvironment : Document
{
    public const int MaxDescriptionLength = 2000;

    public override string DocumentType => "Environment";

    public string? Description { get; set; }

    /// <summary>Position in lists and on the dashboard, lowest first.</summary>
    public int SortOrder { get; set; }

    public static DeploymentEnvironment Create(string name, string? description, int sortOrder)
    {
        var environment = new DeploymentEnvironment { Description = Clean(description), SortOrder = sortOrder };
        environment.Rename(name);
        return environment;
    }

    public void Describe(string? description) => Description = Clean(description);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
