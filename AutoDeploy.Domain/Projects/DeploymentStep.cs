namespace AutoDeploy.Domain.Projects;

/// <summary>
/// One step of a deployment process: a bash script run on every machine that has one of its roles. A step that names a
/// package ("Deploy a package") installs the version its release pins first, and runs its script in that folder. A step
/// with a <see cref="Window"/> rolls: it runs on that many machines at a time.
/// </summary>
public sealed record DeploymentStep
{
    public const int MaxScriptLength = 100_000;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    public string Name { get; init; } = "";

    /// <summary>Machines with any of these roles run the step.</summary>
    public List<string> Roles { get; init; } = [];

    public string Script { get; init; } = "";

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The id of the package this step deploys; null for a step that only runs its script.</summary>
    public string? PackageId { get; init; }

    public const int MaxSubstitutionFiles = 50;
    public const int MaxSubstitutionPathLength = 500;

    /// <summary>
    /// Files of the package (paths relative to its folder) in which <c>#{Name}</c> is replaced by the variable's value,
    /// sensitive ones included, before the script runs.
    /// </summary>
    public List<string> SubstituteInFiles { get; init; } = [];

    /// <summary>Run on this many machines at a time, starting the next as soon as one finishes; null runs on all at once.</summary>
    public RollingWindow? Window { get; init; }

    /// <summary>
    /// A rolling step goes on starting machines after one failed (the deployment still fails); without it, the first failure
    /// stops the roll and the machines not started yet end Skipped.
    /// </summary>
    public bool ContinueOnFailure { get; init; }

    public bool AppliesTo(IEnumerable<string> machineRoles) => machineRoles.Any(Roles.Contains);
}
