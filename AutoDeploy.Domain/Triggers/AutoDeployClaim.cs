namespace AutoDeploy.Domain.Triggers;

/// <summary>
/// One machine's place in an auto-deployment of a release. A unique index over the open claims makes a second
/// queued auto-deployment of the same release to the same machine impossible, even with two engines.
/// </summary>
public sealed class AutoDeployClaim
{
    public long Id { get; set; }
    public int MachineId { get; init; }
    public int ReleaseId { get; init; }
    public int DeploymentId { get; init; }

    /// <summary>
    /// True while the deployment is queued or running, null once it has ended: the unique index over
    /// (machine, release, open) then ignores closed claims, because NULLs never collide (SQLite and PostgreSQL alike).
    /// </summary>
    public bool? IsOpen { get; set; } = true;
}
