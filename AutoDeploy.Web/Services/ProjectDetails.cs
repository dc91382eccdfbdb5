using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Web.Services;

/// <summary>A row of the project list.</summary>
public sealed record ProjectSummary(
    int Id, string Name, string? Description, bool IsEnabled, int StepCount, int? LatestReleaseId, string? LatestReleaseVersion,
    bool IsArchived = false);

/// <summary>
/// A project as screens and the API see it. Sensitive variable values are replaced by the mask; sending the
/// mask back in an update keeps the stored value.
/// </summary>
public sealed record ProjectDetails(
    int Id,
    string Name,
    string? Description,
    bool IsEnabled,
    int Version,
    IReadOnlyList<DeploymentStep> Steps,
    IReadOnlyList<VariableView> Variables,
    ConnectivitySettings Connectivity,
    bool IsArchived = false)
{
    public static ProjectDetails From(Project project) => new(
        project.Id, project.Name, project.Description, project.IsEnabled, project.Version,
        project.Steps.Select(Copy).ToList(), project.Variables.Select(VariableView.From).ToList(), Copy(project.Connectivity),
        project.IsArchived);

    /// <summary>An editable copy: changing it never changes this object.</summary>
    public ProjectInput ToInput() => new()
    {
        Name = Name,
        Description = Description,
        IsEnabled = IsEnabled,
        Steps = Steps.Select(Copy).ToList(),
        Variables = Variables.Select(v => new VariableInput
        {
            Name = v.Name, Value = v.Value, EnvironmentId = v.EnvironmentId, IsSensitive = v.IsSensitive,
        }).ToList(),
        Connectivity = Copy(Connectivity),
    };

    private static DeploymentStep Copy(DeploymentStep step) => step with { Roles = [.. step.Roles], SubstituteInFiles = [.. step.SubstituteInFiles] };

    private static ConnectivitySettings Copy(ConnectivitySettings settings) =>
        settings with { SkipUnavailableRoles = [.. settings.SkipUnavailableRoles] };
}

/// <summary>A project variable for display: <see cref="Value"/> is the mask when the variable is sensitive.</summary>
public sealed record VariableView(string Name, string Value, int? EnvironmentId, bool IsSensitive)
{
    public static VariableView From(ProjectVariable variable) =>
        new(variable.Name, variable.DisplayValue, variable.EnvironmentId, variable.IsSensitive);
}

/// <summary>An environment a variable can be scoped to.</summary>
public sealed record EnvironmentOption(int Id, string Name);
