namespace AutoDeploy.Web.HealthChecks;

/// <summary>The <c>HealthChecks</c> configuration section.</summary>
public sealed class HealthCheckOptions
{
    /// <summary>A machine whose agent has not called for this long is Unavailable (agents poll every ~15 s).</summary>
    public TimeSpan UnavailableAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A machine registered but never heard from is Unavailable after this long: its agent may start a while
    /// after registration, and a clean-up policy must not delete it before it had a chance.
    /// </summary>
    public TimeSpan FirstContactGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A health check that no agent picked up in this time finds the machine Unavailable.</summary>
    public TimeSpan PickupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a health-check script may run.</summary>
    public TimeSpan ScriptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Scheduled checks running at once, across all machines.</summary>
    public int MaxConcurrentChecks { get; set; } = 50;

    /// <summary>How often the worker looks for due checks, silent agents and machines to clean up.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);
}
