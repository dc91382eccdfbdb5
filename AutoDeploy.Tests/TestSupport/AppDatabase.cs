using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>
/// Which database the app-level tests (<see cref="AutoDeployAppFactory"/>) run on: a SQLite file each by default;
/// with <c>AUTODEPLOY_TEST_DATABASE=Postgres</c>, a database each on one throwaway PostgreSQL server started for the
/// whole test run (scripts/test.sh runs them both ways).
/// </summary>
internal static class AppDatabase
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(StartAsync);
    private static readonly Lazy<Task<string>> SqliteTemplate = new(MigrateSqliteTemplateAsync);

    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("AUTODEPLOY_TEST_DATABASE"), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>A new database on the shared server, migrated (the app finds nothing to migrate when it starts).</summary>
    public static string CreatePostgresDatabase() =>
        Task.Run(async () => await (await Server.Value).CreateMigratedDatabaseAsync()).GetAwaiter().GetResult()
            .Replace("Pooling=false", "Pooling=true", StringComparison.Ordinal);

    /// <summary>
    /// A new SQLite file at <paramref name="path"/> with every migration applied, copied from a file migrated once per
    /// test run (migrating each app's file cost about 120 ms a start; migrations are tested on their own).
    /// </summary>
    public static void CreateSqliteDatabase(string path) =>
        File.Copy(Task.Run(async () => await SqliteTemplate.Value).GetAwaiter().GetResult(), path);

    private static async Task<string> MigrateSqliteTemplateAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"autodeploy-template-{Guid.NewGuid():N}.db");
        await using (var db = new SqliteAutoDeployDbContext(new DbContextOptionsBuilder<SqliteAutoDeployDbContext>()
                         .UseSqlite($"Data Source={path};Pooling=false").UseAutoDeploy(TimeProvider.System).Options))
        {
            await db.Database.MigrateAsync();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().GetAwaiter().GetResult();
        return server;
    }
}
