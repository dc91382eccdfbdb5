using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Domain.Deployments;

/// <summary>What a step's script finds in its environment variables.</summary>
public sealed record DeploymentContext(
    int DeploymentId, string Project, string Release, int EnvironmentId, string Environment, string Machine, IReadOnlyList<string> Roles)
{
    /// <summary>A leave hook's deployment: the machine that left.</summary>
    public LeavingMachine? Leaving { get; init; }
}

public static class DeploymentVariables
{
    /// <summary>
    /// The standard AUTODEPLOY_* variables and the project's variables in scope: a value scoped to the
    /// environment wins over an unscoped one of the same name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> For(DeploymentContext context, IEnumerable<ProjectVariable> variables)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in variables.Where(v => v.EnvironmentId is null))
        {
            result[variable.Name] = variable.Value;
        }
        foreach (var variable in variables.Where(v => v.EnvironmentId == context.EnvironmentId))
        {
            result[variable.Name] = variable.Value;
        }
        result["AUTODEPLOY_DEPLOYMENT_ID"] = context.DeploymentId.ToString();
        result["AUTODEPLOY_PROJECT"] = context.Project;
        result["AUTODEPLOY_RELEASE"] = context.Release;
        result["AUTODEPLOY_ENVIRONMENT"] = context.Environment;
        result["AUTODEPLOY_MACHINE"] = context.Machine;
        result["AUTODEPLOY_ROLES"] = string.Join(",", context.Roles);
        if (context.Leaving is { } leaving)
        {
            result["AUTODEPLOY_LEAVING_MACHINE"] = leaving.Name;
            result["AUTODEPLOY_LEAVING_MACHINE_ID"] = leaving.MachineId.ToString();
            result["AUTODEPLOY_LEAVING_ROLES"] = string.Join(",", leaving.Roles);
            result["AUTODEPLOY_LEAVING_ENVIRONMENT"] = context.Environment;
            result["AUTODEPLOY_LEAVING_EVENT"] = leaving.EventCategory;
            result["AUTODEPLOY_LEAVING_EVENT_ID"] = leaving.EventId.ToString();
        }
        return result;
    }

    /// <summary>Replaces every sensitive value in a log line with the mask (see <see cref="LogMask"/>).</summary>
    public static string Mask(string line, IEnumerable<string> sensitiveValues) => new LogMask(sensitiveValues).Apply(line);
}
