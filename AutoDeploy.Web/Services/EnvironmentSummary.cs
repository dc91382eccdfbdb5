using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Web.Services;

/// <summary>An environment as the Environments screen and the REST API show it.</summary>
public sealed record EnvironmentSummary(
    int Id, string Name, string? Description, int SortOrder, int Version, MachineCounts Machines)
{
    public static EnvironmentSummary From(DeploymentEnvironment environment, MachineCounts machines) =>
        new(environment.Id, environment.Name, environment.Description, environment.SortOrder, environment.Version, machines);
}

/// <summary>
/// The deployment targets in an environment: enabled ones by health status, disabled ones counted apart
/// (a disabled machine gets no deployments whatever its health, as in Octopus).
/// </summary>
public sealed record MachineCounts(int Healthy, int HasWarnings, int Unhealthy, int Unavailable, int Unknown, int Disabled)
{
    public static readonly MachineCounts None = new(0, 0, 0, 0, 0, 0);

    public int Total => Healthy + HasWarnings + Unhealthy + Unavailable + Unknown + Disabled;

    public MachineCounts Add(bool isEnabled, MachineHealthStatus health, int count) => !isEnabled
        ? this with { Disabled = Disabled + count }
        : health switch
        {
            MachineHealthStatus.Healthy => this with { Healthy = Healthy + count },
            MachineHealthStatus.HasWarnings => this with { HasWarnings = HasWarnings + count },
            MachineHealthStatus.Unhealthy => this with { Unhealthy = Unhealthy + count },
            MachineHealthStatus.Unavailable => this with { Unavailable = Unavailable + count },
            _ => this with { Unknown = Unknown + count },
        };
}

/// <summary>Which way <see cref="EnvironmentService.MoveAsync"/> moves an environment in the order.</summary>
public enum MoveDirection
{
    Up,
    Down,
}
