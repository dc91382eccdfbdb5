using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Bench;

/// <summary>
/// The server a reaction benchmark measures: in this process beside the agents (its SQL statements counted), or in a
/// process of its own (<c>--server process</c>), so that its CPU is measured alone, as a server whose agents run on
/// other machines would spend it.
/// </summary>
public sealed class ReactionServer : IAsyncDisposable
{
    private readonly BenchServer? _inProcess;
    private readonly ServerProcess? _process;

    private ReactionServer(BenchServer? inProcess, ServerProcess? process, string baseUrl, IDbContextFactory<AutoDeployDbContext> db)
    {
        (_inProcess, _process, BaseUrl, Db) = (inProcess, process, baseUrl, db);
    }

    public string BaseUrl { get; }

    /// <summary>The server's database, to seed it and to read what happened.</summary>
    public IDbContextFactory<AutoDeployDbContext> Db { get; }

    /// <summary>The server process's CPU time so far; null when the server shares this process.</summary>
    public TimeSpan? CpuTime => _process?.CpuTime;

    public static async Task<ReactionServer> StartAsync(bool ownProcess, IReadOnlyDictionary<string, string?>? settings)
    {
        if (!ownProcess)
        {
            var server = BenchServer.Start(settings);
            return new ReactionServer(server, null, server.BaseUrl, server.Db);
        }
        var process = await ServerProcess.StartAsync(settings?.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value!));
        return new ReactionServer(null, process, process.BaseUrl, new FileContexts(process.DbPath));
    }

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            await _inProcess.DisposeAsync();
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    /// <summary>Contexts on another process's SQLite file (it migrated it at start-up).</summary>
    private sealed class FileContexts(string path) : IDbContextFactory<AutoDeployDbContext>
    {
        public AutoDeployDbContext CreateDbContext() => new SqliteAutoDeployDbContext(
            new DbContextOptionsBuilder<SqliteAutoDeployDbContext>().UseSqlite($"Data Source={path}").UseAutoDeploy(TimeProvider.System).Options);
    }
}
