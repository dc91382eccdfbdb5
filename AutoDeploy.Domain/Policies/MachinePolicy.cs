using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Policies;

/// <summary>How machines are looked after: health checks, connectivity, clean-up and agent updates.</summary>
public sealed class MachinePolicy : Document
{
    public const string DefaultName = "Default Machine Policy";

    public override string DocumentType => "MachinePolicy";

    public string? Description { get; set; }

    /// <summary>The policy new machines get when none is named; exactly one policy is the default.</summary>
    public bool IsDefault { get; set; }

    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromHours(1);
    public HealthCheckType HealthCheckType { get; set; } = HealthCheckType.ConnectivityOnly;
    public string? HealthCheckScript { get; set; }
    public ConnectivityBehavior ConnectivityBehavior { get; set; } = ConnectivityBehavior.ExpectedToBeOnline;
    public CleanupBehavior CleanupBehavior { get; set; } = CleanupBehavior.DoNotDelete;
    public TimeSpan DeleteUnavailableAfter { get; set; } = TimeSpan.FromHours(1);
    public AgentVersionCheck AgentVersionCheck { get; set; } = AgentVersionCheck.Warn;

    public const int DefaultPackageVersionsToKeep = 3;
    public const int MaxPackageVersionsToKeep = 100;

    /// <summary>How many extracted versions of each package its agents keep; older folders are deleted after a deployment.</summary>
    public int PackageVersionsToKeep { get; set; } = DefaultPackageVersionsToKeep;

    public static MachinePolicy CreateDefault()
    {
        var policy = new MachinePolicy { IsDefault = true, Description = "Used by every machine that names no other policy." };
        policy.Rename(DefaultName);
        return policy;
    }
}

public enum HealthCheckType { ConnectivityOnly, RunScript }

public enum ConnectivityBehavior { ExpectedToBeOnline, MayBeOfflineAndCanBeSkipped }

public enum CleanupBehavior { DoNotDelete, DeleteUnavailableMachines }

/// <summary>
/// What the server does about an agent older than its own: tells (Warn: the machine has warnings), updates it
/// (Automatically: between jobs, then it warns until the agent reports the new version), or nothing (Ignore).
/// </summary>
public enum AgentVersionCheck { Warn, Ignore, Automatically }
