namespace AutoDeploy.Domain.Policies;

/// <summary>What a user or API client submits to create or change a machine policy, saved as a whole.</summary>
public sealed class MachinePolicyInput
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromHours(1);
    public HealthCheckType HealthCheckType { get; set; } = HealthCheckType.ConnectivityOnly;

    /// <summary>The bash script a RunScript health check runs; kept (but not run) for ConnectivityOnly.</summary>
    public string? HealthCheckScript { get; set; }

    public ConnectivityBehavior ConnectivityBehavior { get; set; } = ConnectivityBehavior.ExpectedToBeOnline;
    public CleanupBehavior CleanupBehavior { get; set; } = CleanupBehavior.DoNotDelete;

    /// <summary>How long a machine may stay unavailable before clean-up deletes it; zero deletes it at the first failed check.</summary>
    public TimeSpan DeleteUnavailableAfter { get; set; } = TimeSpan.FromHours(1);

    public AgentVersionCheck AgentVersionCheck { get; set; } = AgentVersionCheck.Warn;

    public int PackageVersionsToKeep { get; set; } = MachinePolicy.DefaultPackageVersionsToKeep;

    /// <summary>Copies the input onto <paramref name="policy"/>: name trimmed, script with Unix line endings.</summary>
    public void ApplyTo(MachinePolicy policy)
    {
        policy.Rename(Name);
        policy.Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        policy.HealthCheckInterval = HealthCheckInterval;
        policy.HealthCheckType = HealthCheckType;
        policy.HealthCheckScript = string.IsNullOrWhiteSpace(HealthCheckScript) ? null : HealthCheckScript.ReplaceLineEndings("\n");
        policy.ConnectivityBehavior = ConnectivityBehavior;
        policy.CleanupBehavior = CleanupBehavior;
        policy.DeleteUnavailableAfter = DeleteUnavailableAfter;
        policy.AgentVersionCheck = AgentVersionCheck;
        policy.PackageVersionsToKeep = PackageVersionsToKeep;
    }
}
