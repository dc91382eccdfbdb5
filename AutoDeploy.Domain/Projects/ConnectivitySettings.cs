namespace AutoDeploy.Domain.Projects;

/// <summary>What a deployment does about machines that cannot take part.</summary>
public sealed record ConnectivitySettings
{
    /// <summary>Unavailable machines are skipped instead of failing the deployment.</summary>
    public bool SkipUnavailableMachines { get; init; }

    /// <summary>When skipping, only machines with one of these roles may be skipped; empty means any.</summary>
    public List<string> SkipUnavailableRoles { get; init; } = [];

    /// <summary>Unhealthy machines are left out of deployments.</summary>
    public bool ExcludeUnhealthyMachines { get; init; }

    /// <summary>A deployment with no machine to run on succeeds instead of failing.</summary>
    public bool AllowDeploymentsToNoTargets { get; init; }
}
