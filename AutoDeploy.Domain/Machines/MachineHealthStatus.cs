namespace AutoDeploy.Domain.Machines;

public enum MachineHealthStatus
{
    Unknown,
    Healthy,
    HasWarnings,
    Unhealthy,
    Unavailable,
}
