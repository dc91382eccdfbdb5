using AutoDeploy.Domain.Projects;
using AutoDeploy.Web.Secrets;

namespace AutoDeploy.Web.Services;

/// <summary>
/// A project input turned into what is stored: names and roles trimmed, scripts with Unix line endings, and
/// sensitive variables submitted with the mask (or no value) given back their stored value, and every other sensitive
/// value encrypted (<see cref="SecretProtector"/>).
/// </summary>
internal sealed record ProjectChanges(
    List<DeploymentStep> Steps,
    List<ProjectVariable> Variables,
    ConnectivitySettings Connectivity,
    IReadOnlyList<(string Field, string Message)> Problems)
{
    public static ProjectChanges From(
        ProjectInput input, IReadOnlyList<ProjectVariable> stored, IReadOnlySet<int> environmentIds, SecretProtector secrets)
    {
        var problems = new List<(string, string)>();
        var variables = new List<ProjectVariable>();
        for (var i = 0; i < input.Variables.Count; i++)
        {
            var submitted = input.Variables[i];
            var label = ProjectInputValidator.VariableLabel(submitted, i);
            var name = submitted.Name?.Trim() ?? "";
            var previous = stored.FirstOrDefault(v => v.Name == name && v.EnvironmentId == submitted.EnvironmentId);
            var value = submitted.Value ?? "";
            var keepsCiphertext = false;
            if (submitted.KeepsStoredValue)
            {
                if (previous is null)
                {
                    problems.Add(($"Variables[{i}].Value",
                        $"{label}: enter a value. A sensitive value is only kept while its name and environment stay the same."));
                }
                value = previous?.Value ?? "";
                keepsCiphertext = previous is { IsSensitive: true } && SecretProtector.IsProtected(value);
            }
            else if (!submitted.IsSensitive && value == ProjectVariable.Mask && previous is { IsSensitive: true })
            {
                problems.Add(($"Variables[{i}].Value",
                    $"{label}: enter a new value to make it not sensitive; the stored value is never shown."));
            }
            if (submitted.EnvironmentId is { } environmentId && !environmentIds.Contains(environmentId))
            {
                problems.Add(($"Variables[{i}].EnvironmentId", $"{label}: environment {environmentId} does not exist."));
            }
            variables.Add(new ProjectVariable
            {
                Name = name, Value = submitted.IsSensitive && !keepsCiphertext ? secrets.Protect(value) : value, EnvironmentId = submitted.EnvironmentId, IsSensitive = submitted.IsSensitive,
            });
        }
        var steps = input.Steps.Select(s => new DeploymentStep
        {
            Name = s.Name?.Trim() ?? "",
            Roles = Clean(s.Roles),
            Script = (s.Script ?? "").ReplaceLineEndings("\n"),
            Timeout = s.Timeout,
            PackageId = string.IsNullOrWhiteSpace(s.PackageId) ? null : s.PackageId.Trim(),
            SubstituteInFiles = [.. (s.SubstituteInFiles ?? []).Select(f => f?.Trim() ?? "").Where(f => f.Length > 0)],
            Window = s.Window,
            ContinueOnFailure = s.Window is not null && s.ContinueOnFailure,
        }).ToList();
        var connectivity = input.Connectivity with { SkipUnavailableRoles = Clean(input.Connectivity.SkipUnavailableRoles) };
        return new ProjectChanges(steps, variables, connectivity, problems);
    }

    private static List<string> Clean(IEnumerable<string>? roles) =>
        [.. (roles ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct()];
}
