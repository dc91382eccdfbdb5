using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>A migrated SQLite file in the temp folder (a copy of <see cref="SqliteTemplate"/>), deleted on dispose.</summary>
public sealed class SqliteDatabase : IDbContextFactory<AutoDeployDbContext>, IAsyncDisposable
{
    private SqliteDatabase(string path, TimeProvider time)
    {
        Path = path;
        Time = time;
        ConnectionString = $"Data Source={path};Pooling=False";
    }

    public string Path { get; }
    public string ConnectionString { get; }
    public TimeProvider Time { get; }

    public static async Task<SqliteDatabase> CreateAsync(TimeProvider? time = null)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"autodeploy-test-{Guid.NewGuid():N}.db");
        await SqliteTemplate.CopyToAsync(path);
        return new SqliteDatabase(path, time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero)));
    }

    public AutoDeployDbContext CreateDbContext() =>
        new SqliteAutoDeployDbContext(new DbContextOptionsBuilder<SqliteAutoDeployDbContext>().UseSqlite(ConnectionString).UseAutoDeploy(Time).Options);

    public ValueTask DisposeAsync()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
        return ValueTask.CompletedTask;
    }
}
