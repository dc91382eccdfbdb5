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

    /// <summary>
    /// Archived: hidden from the lists, its triggers ignored, no new releases or deployments, its history kept. A project
    /// with deployments is archived rather than deleted, because deleting it would erase the record of what ran.
    /// </summary>
    public bool IsArchived { get; private set; }

    public static Project Create(string name, string? description)
    {
        var project = new Project { Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim() };
        project.Rename(name);
        return project;
    }

    public void Archive()
    {
        if (!IsArchived)
        {
            IsArchived = true;
            Raise(new DomainEvent(EventCategories.ProjectArchived,
                $"Project '{Name}' was archived: its triggers are ignored and its history is kept", null, null, [nameof(IsArchived)]));
        }
    }

    public void Restore()
    {
        if (IsArchived)
        {
            IsArchived = false;
            Raise(new DomainEvent(EventCategories.ProjectRestored, $"Project '{Name}' was restored from the archive", null, null, [nameof(IsArchived)]));
        }
    }

    /// <summary>
    /// Replaces the whole document in one change. The Modified event lists what changed, like the generic
    /// audit, but shows variables by their display values: sensitive values must never reach the event log.
    /// </summary>
    public void Change(string name, string? description, bool isEnabled, List<DeploymentStep> steps,
        List<ProjectVariable> variables, ConnectivitySettings connectivity)
    {
        name = name.Trim();
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        var changes = new List<(string Property, object? From, object? To)>();
        if (Name != name)
        {
            changes.Add((nameof(Name), Name, name));
        }
        if (Description != description)
        {
            changes.Add((nameof(Description), Description, description));
        }
        if (IsEnabled != isEnabled)
        {
            changes.Add((nameof(IsEnabled), IsEnabled, isEnabled));
        }
        if (!SameSteps(Steps, steps))
        {
            changes.Add((nameof(Steps), Steps, steps));
        }
        if (!Variables.SequenceEqual(variables))
        {
            changes.Add((nameof(Variables), Displayed(Variables), Displayed(variables)));
        }
        if (!SameConnectivity(Connectivity, connectivity))
        {
            changes.Add((nameof(Connectivity), Connectivity, connectivity));
        }
        if (changes.Count == 0)
        {
            return;
        }
        Rename(name);
        Description = description;
        IsEnabled = isEnabled;
        Steps = steps;
        Variables = variables;
        Connectivity = connectivity;
        Raise(new DomainEvent(EventCategories.Modified,
            $"Project '{Name}' was modified: {string.Join(", ", changes.Select(c => c.Property))}", null,
            new { changes = changes.Select(c => new { property = c.Property, from = c.From, to = c.To }).ToList() }));
    }

    private static bool SameSteps(List<DeploymentStep> a, List<DeploymentStep> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.Script == p.Second.Script
                                               && p.First.Timeout == p.Second.Timeout && p.First.Roles.SequenceEqual(p.Second.Roles)
                                               && p.First.PackageId == p.Second.PackageId
                                               && p.First.SubstituteInFiles.SequenceEqual(p.Second.SubstituteInFiles)
                                               && p.First.Window == p.Second.Window && p.First.ContinueOnFailure == p.Second.ContinueOnFailure);

    private static bool SameConnectivity(ConnectivitySettings a, ConnectivitySettings b) =>
        a.SkipUnavailableMachines == b.SkipUnavailableMachines && a.ExcludeUnhealthyMachines == b.ExcludeUnhealthyMachines
        && a.AllowDeploymentsToNoTargets == b.AllowDeploymentsToNoTargets && a.SkipUnavailableRoles.SequenceEqual(b.SkipUnavailableRoles);

    public override object? AuditValue(string property, object? value) =>
        property == nameof(Variables) && value is IEnumerable<ProjectVariable> variables ? Displayed(variables) : value;

    private static List<object> Displayed(IEnumerable<ProjectVariable> variables) =>
        [.. variables.Select(v => new { v.Name, Value = v.DisplayValue, v.EnvironmentId, v.IsSensitive })];
}
