namespace AutoDeploy.Web.Retention;

/// <summary>
/// The <c>Retention</c> section: how long each kind of history is kept. An age left empty keeps that kind forever, the
/// default for all four. The sweep runs every <see cref="Interval"/> and deletes at most <see cref="BatchSize"/> rows a
/// statement, so it never holds the database for long.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Task logs of deployments and health checks that ended longer ago than this.</summary>
    public TimeSpan? TaskLogs { get; set; }

    /// <summary>Events older than this that the engine has read (and no stored retry still needs).</summary>
    public TimeSpan? Events { get; set; }

    /// <summary>Health-check runs that ended longer ago than this, with their jobs and logs.</summary>
    public TimeSpan? HealthCheckRuns { get; set; }

    /// <summary>Releases created longer ago than this, with their deployments, unless something still needs them (see the README).</summary>
    public TimeSpan? Releases { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public int BatchSize { get; set; } = 1000;

    public bool Configured => TaskLogs is not null || Events is not null || HealthCheckRuns is not null || Releases is not null;

    /// <summary>Why these options cannot work, or null.</summary>
    public string? Problem() =>
        new[] { (nameof(TaskLogs), TaskLogs), (nameof(Events), Events), (nameof(HealthCheckRuns), HealthCheckRuns), (nameof(Releases), Releases) }
            .Where(a => a.Item2 is { } age && age <= TimeSpan.Zero).Select(a => $"Retention:{a.Item1} must be a positive age, e.g. 90.00:00:00.")
            .FirstOrDefault()
        ?? (Interval <= TimeSpan.Zero ? "Retention:Interval must be positive, e.g. 01:00:00." : null)
        ?? (BatchSize is < 1 or > 100_000 ? "Retention:BatchSize must be between 1 and 100000." : null);
}
