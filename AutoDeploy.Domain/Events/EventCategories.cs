namespace AutoDeploy.Domain.Events;

/// <summary>The categories of the Event table, in Octopus's vocabulary (docs/architecture.md §3).</summary>
public static class EventCategories
{
    public const string Created = "Created";
    public const string Modified = "Modified";
    public const string Deleted = "Deleted";

    public const string MachineAdded = "MachineAdded";
    public const string MachineDeleted = "MachineDeleted";
    public const string MachineEnabled = "MachineEnabled";
    public const string MachineDisabled = "MachineDisabled";
    public const string MachineHealthy = "MachineHealthy";
    public const string MachineHasWarnings = "MachineHasWarnings";
    public const string MachineUnhealthy = "MachineUnhealthy";
    public const string MachineUnavailable = "MachineUnavailable";
    public const string MachineCleanupFailed = "MachineCleanupFailed";
    public const string MachineDeploymentRelatedPropertyWasUpdated = "MachineDeploymentRelatedPropertyWasUpdated";

    public const string DeploymentQueued = "DeploymentQueued";
    public const string DeploymentStarted = "DeploymentStarted";
    public const string DeploymentSucceeded = "DeploymentSucceeded";
    public const string DeploymentFailed = "DeploymentFailed";
    public const string DeploymentCanceled = "DeploymentCanceled";
    public const string ReleaseCreated = "ReleaseCreated";
    /// <summary>The engine queued a deployment for a machine.</summary>
    public const string AutoDeployTriggered = "AutoDeployTriggered";

    /// <summary>The engine could not deploy to a machine and someone should look: retries used up, no release, no step for its roles.</summary>
    public const string AutoDeployBlocked = "AutoDeployBlocked";

    /// <summary>
    /// The engine saw a machine's event and queued nothing, and nothing is wrong: the machine has or is getting the
    /// release, waits for a running deployment, or a retry is scheduled. (Before this category existed, these decisions
    /// were recorded as <see cref="AutoDeployBlocked"/>; their details' kind tells them apart.)
    /// </summary>
    public const string AutoDeployNoAction = "AutoDeployNoAction";

    /// <summary>
    /// A machine's event matched a trigger that does not apply to it, and why: the trigger or its project is disabled,
    /// the machine is outside the trigger's environments or roles, or it is disabled, unhealthy or unavailable.
    /// </summary>
    public const string AutoDeployNotApplicable = "AutoDeployNotApplicable";

    public const string AutoDeployOverrideSet = "AutoDeployOverrideSet";
    public const string AutoDeployOverrideCleared = "AutoDeployOverrideCleared";
    public const string EnrolmentTokenCreated = "EnrolmentTokenCreated";
    public const string EnrolmentTokenUsed = "EnrolmentTokenUsed";
    public const string EnrolmentTokenRevoked = "EnrolmentTokenRevoked";
    public const string AgentUpdated = "AgentUpdated";
    public const string AgentUpdateFailed = "AgentUpdateFailed";
    public const string PackageUploaded = "PackageUploaded";
    public const string PackageDeleted = "PackageDeleted";
    public const string ProjectArchived = "ProjectArchived";
    public const string ProjectRestored = "ProjectRestored";
    public const string RetentionSwept = "RetentionSwept";
    public const string BackupTaken = "BackupTaken";

    // Sign-in: who tried which account from where (never the password); the email as typed, cut to fit.
    public const string SignInSucceeded = "SignInSucceeded";
    public const string SignInFailed = "SignInFailed";
    public const string SignInLockedOut = "SignInLockedOut";

    public static readonly IReadOnlyList<string> SignIn = [SignInSucceeded, SignInFailed, SignInLockedOut];

    // Subscriptions (webhooks)
    /// <summary>A subscription stopped delivering: paused by an administrator, or by the server after failing too long.</summary>
    public const string SubscriptionPaused = "SubscriptionPaused";
    public const string SubscriptionResumed = "SubscriptionResumed";

    // Who may do what (users, their role assignments, API keys): seen by administrators only (docs/architecture.md §15).
    public const string UserCreated = "UserCreated";
    public const string UserDeleted = "UserDeleted";
    public const string UserDisabled = "UserDisabled";
    public const string UserEnabled = "UserEnabled";
    public const string UserRolesChanged = "UserRolesChanged";
    public const string ApiKeyCreated = "ApiKeyCreated";
    public const string ApiKeyRevoked = "ApiKeyRevoked";

    public static readonly IReadOnlyList<string> UserAdministration =
        [UserCreated, UserDeleted, UserDisabled, UserEnabled, UserRolesChanged, ApiKeyCreated, ApiKeyRevoked];

    /// <summary>Events about users and their sign-ins, which only administrators see.</summary>
    public static readonly IReadOnlyList<string> AdministratorsOnly = [.. UserAdministration, .. SignIn];

    public static readonly IReadOnlyList<string> Machine =
    [
        MachineAdded, MachineDeleted, MachineEnabled, MachineDisabled, MachineHealthy, MachineHasWarnings,
        MachineUnhealthy, MachineUnavailable, MachineCleanupFailed, MachineDeploymentRelatedPropertyWasUpdated,
    ];

    /// <summary>What the server observes about a machine, as opposed to what a user changed.</summary>
    public static readonly IReadOnlySet<string> Observed = new HashSet<string>
    {
        MachineHealthy, MachineHasWarnings, MachineUnhealthy, MachineUnavailable, MachineCleanupFailed, AgentUpdated, AgentUpdateFailed,
    };

    /// <summary>The categories that end a deployment, whatever its outcome.</summary>
    public static readonly IReadOnlySet<string> DeploymentEnded = new HashSet<string>
    {
        DeploymentSucceeded, DeploymentFailed, DeploymentCanceled,
    };

    /// <summary>The engine's explained decisions, one per machine, trigger and environment it considered.</summary>
    public static readonly IReadOnlyList<string> AutoDeployDecisions = [AutoDeployTriggered, AutoDeployBlocked, AutoDeployNoAction, AutoDeployNotApplicable];

    public static readonly IReadOnlyList<string> All =
    [
        Created, Modified, Deleted, .. Machine,
        DeploymentQueued, DeploymentStarted, DeploymentSucceeded, DeploymentFailed, DeploymentCanceled,
        ReleaseCreated, AutoDeployTriggered, AutoDeployBlocked, AutoDeployNoAction, AutoDeployNotApplicable, AutoDeployOverrideSet, AutoDeployOverrideCleared,
        EnrolmentTokenCreated, EnrolmentTokenUsed, EnrolmentTokenRevoked, AgentUpdated, AgentUpdateFailed,
        PackageUploaded, PackageDeleted, ProjectArchived, ProjectRestored, RetentionSwept, BackupTaken,
        SubscriptionPaused, SubscriptionResumed,
        .. SignIn,
        .. UserAdministration,
    ];
}
