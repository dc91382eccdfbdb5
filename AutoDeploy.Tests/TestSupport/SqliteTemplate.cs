using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>
/// One SQLite file migrated once per test run; each test's database starts as a copy of it. Applying the migrations
/// to every new file took a few hundred milliseconds of CPU each, hundreds of times a run. The migrations themselves
/// still run, here once and in the E2E tests' app on an empty file.
/// </summary>
internal static class SqliteTemplate
{
    private static readonly Lazy<Task<string>> Template = new(MigrateAsync);

    /// <summary>Writes a migrated, empty database to <paramref name="path"/>, which must not exist.</summary>
    public static async Task CopyToAsync(string path) => File.Copy(await Template.Value, path);

    private static async Task<string> MigrateAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"autodeploy-template-{Guid.NewGuid():N}.db");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        var options = new DbContextOptionsBuilder<SqliteAutoDeployDbContext>()
            .UseSqlite($"Data Source={path};Pooling=False").UseAutoDeploy(TimeProvider.System).Options;
        await using var db = new SqliteAutoDeployDbContext(options);
        await db.Database.MigrateAsync();
        return path;
    }
}
