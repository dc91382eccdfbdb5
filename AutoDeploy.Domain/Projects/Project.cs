using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Projects;

/// <summary>Something deployable: a process of ordered steps, variables and connectivity settings.</summary>
public sealed class Project : Document
{
    public const int MaxDescriptionLength = 2000;

    public override string DocumentType => "Project";

    public string? Description { get; set; }
    public bool IsEnabled { get; set; } = true;
    public List<DeploymentStep> Steps { get; set; } = [];
    public List<ProjectVariable> Variables { get; set; } = [];
    public ConnectivitySettings Connectivity { get; set; } = new();

    public static Project Create(string name, string? description)
    {
        var project = new Project { Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim() };
        project.Rename(name);
        return project;
    }
}
