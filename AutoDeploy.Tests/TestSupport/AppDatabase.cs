namespace AutoDeploy.Tests.TestSupport;

/// <summary>
/// Which database the app-level tests (<see cref="AutoDeployAppFactory"/>) run on: a SQLite file each by default;
/// with <c>AUTODEPLOY_TEST_DATABASE=Postgres</c>, a database each on one throwaway PostgreSQL server started for the
/// whole test run (scripts/test.sh runs them both ways).
/// </summary>
internal static class AppDatabase
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(StartAsync);

    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("AUTODEPLOY_TEST_DATABASE"), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>A new database on the shared server, migrated (the app finds nothing to migrate when it starts).</summary>
    public static string CreatePostgresDatabase() =>
        Task.Run(async () => await (await Server.Value).CreateMigratedDatabaseAsync()).GetAwaiter().GetResult()
            .Replace("Pooling=false", "Pooling=true", StringComparison.Ordinal);

    private static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().GetAwaiter().GetResult();
        return server;
    }
}
