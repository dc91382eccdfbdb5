namespace AutoDeploy.Web.Data;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Where the SQLite file lives when no connection string is given; relative to the content root.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>
    /// On SQLite, the thread pool keeps at least this many worker threads ready. Microsoft.Data.Sqlite blocks a thread
    /// while it waits for the one writer SQLite allows, so a wave of agents reporting at once would otherwise starve the
    /// pool for seconds while it grows one thread at a time (BENCHMARKS.md, reaction time). 0 leaves the runtime default.
    /// </summary>
    public int SqliteMinThreads { get; set; } = 64;
}
