using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AutoDeploy.Bench;

/// <summary>Where a reaction benchmark's server runs.</summary>
/// <param name="OwnProcess">In a process of its own, so that its CPU is measured apart from the agents'.</param>
/// <param name="Nodes">Server processes sharing one database (PostgreSQL only), the agents spread over them.</param>
/// <param name="Postgres">On a throwaway PostgreSQL server instead of a SQLite file.</param>
/// <param name="Directory">Where the server's AutoDeploy.Web.dll is (a published ReadyToRun build, say).</param>
/// <param name="Settings">Configuration keys or environment variables for the server processes.</param>
public sealed record ServerShape(bool OwnProcess = false, int Nodes = 1, bool Postgres = false, string? Directory = null,
    IReadOnlyDictionary<string, string>? Settings = null);

/// <summary>
/// The server a reaction benchmark measures: in this process beside the agents (its SQL statements counted), or in
/// processes of their own (<c>--server process</c>), so that their CPU is measured alone, as a server whose agents run on
/// other machines would spend it; one node on SQLite, or several nodes on one PostgreSQL database.
/// </summary>
public sealed class ReactionServer : IAsyncDisposable
{
    private readonly BenchServer? _inProcess;
    private readonly IReadOnlyList<ServerProcess> _nodes;
    private readonly ThrowawayPostgres? _postgres;

    private ReactionServer(BenchServer? inProcess, IReadOnlyList<ServerProcess> nodes, ThrowawayPostgres? postgres, IReadOnlyList<string> urls,
        IDbContextFactory<AutoDeployDbContext> db)
    {
        (_inProcess, _nodes, _postgres, BaseUrls, Db) = (inProcess, nodes, postgres, urls, db);
    }

    /// <summary>Each node's address; agent i talks to node i mod N.</summary>
    public IReadOnlyList<string> BaseUrls { get; }

    public string BaseUrl => BaseUrls[0];

    /// <summary>The server's database, to seed it and to read what happened.</summary>
    public IDbContextFactory<AutoDeployDbContext> Db { get; }

    /// <summary>The server processes' CPU time so far, all nodes together; null when the server shares this process.</summary>
    public TimeSpan? CpuTime => _nodes.Count == 0 ? null : _nodes.Aggregate(TimeSpan.Zero, (sum, node) => sum + node.CpuTime);

    public static async Task<ReactionServer> StartAsync(ServerShape shape, IReadOnlyDictionary<string, string?>? settings)
    {
        if (!shape.OwnProcess)
        {
            if (shape.Nodes != 1 || shape.Postgres)
            {
                throw new ArgumentException("Several nodes or PostgreSQL need --server process.");
            }
            var server = BenchServer.Start(settings);
            return new ReactionServer(server, [], null, [server.BaseUrl], server.Db);
        }
        if (shape.Nodes > 1 && !shape.Postgres)
        {
            throw new ArgumentException("Several nodes share a PostgreSQL database: add --database postgres.");
        }
        var merged = new Dictionary<string, string>(shape.Settings ?? new Dictionary<string, string>());
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is not null)
            {
                merged[key] = value;
            }
        }
        ThrowawayPostgres? postgres = null;
        var nodes = new List<ServerProcess>();
        try
        {
            string? connectionString = null;
            if (shape.Postgres)
            {
                postgres = new ThrowawayPostgres();
                await postgres.InitializeAsync();
                // The throwaway server's strings turn pooling off (tests make many databases); a node pools as in production.
                connectionString = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Pooling = true, MaxPoolSize = 60 }.ToString();
                merged["Database:Provider"] = "Postgres";
                merged["ConnectionStrings:Default"] = connectionString;
            }
            // One at a time: the first node migrates the database before the others start.
            for (var i = 0; i < shape.Nodes; i++)
            {
                nodes.Add(await ServerProcess.StartAsync(merged, shape.Directory));
            }
            IDbContextFactory<AutoDeployDbContext> db = connectionString is null ? new FileContexts(nodes[0].DbPath) : new PostgresContexts(connectionString);
            return new ReactionServer(null, nodes, postgres, nodes.Select(n => n.BaseUrl).ToList(), db);
        }
        catch
        {
            await DisposeAllAsync(nodes, postgres);
            throw;
        }
    }

    /// <summary>Restarts every node (killed, then started on the same database and address): a cold server with its data.</summary>
    public async Task RestartAsync()
    {
        if (_nodes.Count == 0)
        {
            throw new ArgumentException("Restarting needs --server process.");
        }
        foreach (var node in _nodes)
        {
            await node.RestartAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            await _inProcess.DisposeAsync();
        }
        await DisposeAllAsync(_nodes, _postgres);
    }

    private static async Task DisposeAllAsync(IEnumerable<ServerProcess> nodes, ThrowawayPostgres? postgres)
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    /// <summary>Contexts on another process's SQLite file (it migrated it at start-up).</summary>
    private sealed class FileContexts(string path) : IDbContextFactory<AutoDeployDbContext>
    {
        public AutoDeployDbContext CreateDbContext() => new SqliteAutoDeployDbContext(
            new DbContextOptionsBuilder<SqliteAutoDeployDbContext>().UseSqlite($"Data Source={path}").UseAutoDeploy(TimeProvider.System).Options);
    }

    /// <summary>Contexts on the nodes' PostgreSQL database (the first node migrated it at start-up).</summary>
    private sealed class PostgresContexts(string connectionString) : IDbContextFactory<AutoDeployDbContext>
    {
        public AutoDeployDbContext CreateDbContext() => new PostgresAutoDeployDbContext(
            new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(connectionString).UseAutoDeploy(TimeProvider.System).Options);
    }
}
