using System.Text.RegularExpressions;
using AutoDeploy.Domain.Packages;
using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Projects;

/// <summary>
/// Rules for a whole project. Messages about a step or variable name it ("Step 2 'Migrate': ...") and sit on
/// its field's path (<c>Steps[1].Roles</c>, <c>Variables[0].Name</c>) so forms can show them beside the field.
/// </summary>
public sealed partial class ProjectInputValidator : AbstractValidator<ProjectInput>
{
    public const string ReservedPrefix = "AUTODEPLOY_";
    public const int MaxVariableNameLength = 200;

    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);

    public ProjectInputValidator()
    {
        RuleFor(x => x.Name).DocumentName();
        RuleFor(x => x.Description).MaximumLength(Project.MaxDescriptionLength)
            .WithMessage($"Description must be at most {Project.MaxDescriptionLength} characters.")
            .NoNulCharacter("Description");
        RuleFor(x => x.Steps).Custom((steps, context) =>
        {
            for (var i = 0; i < steps.Count; i++)
            {
                foreach (var (field, message) in StepProblems(steps, i))
                {
                    context.AddFailure($"{nameof(ProjectInput.Steps)}[{i}].{field}", $"{StepLabel(steps[i], i)}: {message}");
                }
            }
        });
        RuleFor(x => x.Variables).Custom((variables, context) =>
        {
            for (var i = 0; i < variables.Count; i++)
            {
                foreach (var (field, message) in VariableProblems(variables, i))
                {
                    context.AddFailure($"{nameof(ProjectInput.Variables)}[{i}].{field}", $"{VariableLabel(variables[i], i)}: {message}");
                }
            }
        });
        RuleFor(x => x.Connectivity.SkipUnavailableRoles).Roles()
            .OverridePropertyName($"{nameof(ProjectInput.Connectivity)}.{nameof(ConnectivitySettings.SkipUnavailableRoles)}");
    }

    /// <summary>"Step 2 'Migrate'", or "Step 2" while it has no name.</summary>
    public static string StepLabel(DeploymentStep step, int index) =>
        string.IsNullOrWhiteSpace(step.Name) ? $"Step {index + 1}" : $"Step {index + 1} '{step.Name.Trim()}'";

    public static string VariableLabel(VariableInput variable, int index) =>
        string.IsNullOrWhiteSpace(variable.Name) ? $"Variable {index + 1}" : $"Variable {index + 1} '{variable.Name.Trim()}'";

    private static IEnumerable<(string Field, string Message)> StepProblems(List<DeploymentStep> steps, int index)
    {
        var step = steps[index];
        var name = step.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            yield return (nameof(DeploymentStep.Name), "a name is required.");
        }
        else if (name.Length > NameRules.MaxLength)
        {
            yield return (nameof(DeploymentStep.Name), $"the name must be at most {NameRules.MaxLength} characters.");
        }
        else if (name.Contains('\0'))
        {
            yield return (nameof(DeploymentStep.Name), "the name cannot contain the NUL character.");
        }
        else if (steps.Take(index).Any(other => string.Equals(other.Name?.Trim(), name, StringComparison.OrdinalIgnoreCase)))
        {
            yield return (nameof(DeploymentStep.Name), "another step already has this name.");
        }

        var roles = step.Roles ?? [];
        if (roles.All(string.IsNullOrWhiteSpace))
        {
            yield return (nameof(DeploymentStep.Roles), "choose at least one role.");
        }
        else if (roles.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Where(r => !RoleRules.IsValid(r)).ToList() is { Count: > 0 } invalid)
        {
            yield return (nameof(DeploymentStep.Roles),
                $"roles must be lower-case letters, digits, '-' or '_' (at most {RoleRules.MaxLength} characters): " +
                string.Join(", ", invalid.Select(r => $"'{r}'")) + ".");
        }

        if (string.IsNullOrWhiteSpace(step.Script))
        {
            yield return (nameof(DeploymentStep.Script), "enter a script.");
        }
        else if (step.Script.Length > DeploymentStep.MaxScriptLength)
        {
            yield return (nameof(DeploymentStep.Script), $"the script must be at most {DeploymentStep.MaxScriptLength} characters.");
        }
        else if (step.Script.Contains('\0'))
        {
            yield return (nameof(DeploymentStep.Script), "the script cannot contain the NUL character.");
        }

        if (step.Timeout < MinTimeout || step.Timeout > DeploymentStep.MaxTimeout)
        {
            yield return (nameof(DeploymentStep.Timeout),
                $"the timeout must be between 1 second and {DeploymentStep.MaxTimeout.TotalHours:0} hours.");
        }

        if (!string.IsNullOrWhiteSpace(step.PackageId) && PackageIdentity.IdProblem(step.PackageId) is { } packageProblem)
        {
            yield return (nameof(DeploymentStep.PackageId), packageProblem);
        }

        if (SubstitutionProblem(step) is { } substitutionProblem)
        {
            yield return (nameof(DeploymentStep.SubstituteInFiles), substitutionProblem);
        }

        if (step.Window?.Problem() is { } windowProblem)
        {
            yield return (nameof(DeploymentStep.Window), windowProblem);
        }
    }

    private static string? SubstitutionProblem(DeploymentStep step) => (step.SubstituteInFiles ?? []) switch
    {
        [] => null,
        _ when string.IsNullOrWhiteSpace(step.PackageId) => "substituting variables in files needs a package to find them in.",
        { Count: > DeploymentStep.MaxSubstitutionFiles } => $"at most {DeploymentStep.MaxSubstitutionFiles} files.",
        var files when files.FirstOrDefault(f => !IsPackagePath(f)) is { } bad =>
            $"'{(bad.Length > 60 ? bad[..60] + "…" : bad)}' is not a path inside the package: relative, without '..', at most {DeploymentStep.MaxSubstitutionPathLength} characters.",
        _ => null,
    };

    private static bool IsPackagePath(string? path) =>
        !string.IsNullOrWhiteSpace(path) && path.Length <= DeploymentStep.MaxSubstitutionPathLength && !path.Any(char.IsControl)
        && !path.StartsWith('/') && !path.Contains('\\') && !path.Split('/').Contains("..");

    private static IEnumerable<(string Field, string Message)> VariableProblems(List<VariableInput> variables, int index)
    {
        var variable = variables[index];
        var name = variable.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            yield return (nameof(VariableInput.Name), "a name is required.");
        }
        else if (name.Length > MaxVariableNameLength)
        {
            yield return (nameof(VariableInput.Name), $"the name must be at most {MaxVariableNameLength} characters.");
        }
        else if (!VariableNamePattern().IsMatch(name))
        {
            yield return (nameof(VariableInput.Name),
                "the name must start with a letter or '_' and contain only letters, digits and '_' (like an environment variable).");
        }
        else if (name.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            yield return (nameof(VariableInput.Name), $"names starting with {ReservedPrefix} are reserved for AutoDeploy.");
        }
        else if (variables.Take(index).Any(other => other.Name?.Trim() == name && other.EnvironmentId == variable.EnvironmentId))
        {
            yield return (nameof(VariableInput.Name), variable.EnvironmentId is null
                ? "another variable has this name for all environments."
                : "another variable has this name for the same environment.");
        }

        // A script gets the value as an environment variable, which cannot hold NUL.
        if (variable.Value is { Length: > ProjectVariable.MaxValueLength })
        {
            yield return (nameof(VariableInput.Value), $"the value must be at most {ProjectVariable.MaxValueLength:N0} characters.");
        }
        else if (variable.Value?.Contains('\0') == true)
        {
            yield return (nameof(VariableInput.Value), "the value cannot contain the NUL character.");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableNamePattern();
}
