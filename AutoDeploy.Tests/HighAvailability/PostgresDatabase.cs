using System.Collections.Concurrent;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>A migrated database of its own on the throwaway PostgreSQL server, as an <see cref="IDbContextFactory{TContext}"/>.</summary>
internal sealed class PostgresDatabase : IDbContextFactory<AutoDeployDbContext>
{
    private PostgresDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    private const string Template = "autodeploy_migrated";
    private static readonly ConcurrentDictionary<int, Lazy<Task>> Templates = new();

    /// <summary>A new database, copied from one migrated once per server (migrating each took seconds).</summary>
    public static async Task<PostgresDatabase> CreateAsync(PostgresServer server)
    {
        await Templates.GetOrAdd(server.Port, _ => new Lazy<Task>(() => CreateTemplateAsync(server))).Value;
        var name = $"t_{Guid.NewGuid():N}";
        await ExecuteAsync(server.ConnectionString(), $"CREATE DATABASE {name} TEMPLATE {Template}");
        // Pooled, as a server runs: the fixture's connection strings open a new session per query.
        return new PostgresDatabase(server.ConnectionString(name).Replace("Pooling=false", "Pooling=true", StringComparison.Ordinal));
    }

    private static async Task CreateTemplateAsync(PostgresServer server)
    {
        await ExecuteAsync(server.ConnectionString(), $"CREATE DATABASE {Template}");
        await using var db = new PostgresAutoDeployDbContext(
            new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(server.ConnectionString(Template)).UseAutoDeploy(TimeProvider.System).Options);
        await db.Database.MigrateAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public AutoDeployDbContext CreateDbContext() => new PostgresAutoDeployDbContext(
        new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(ConnectionString).UseAutoDeploy(TimeProvider.System).Options);

    /// <summary>Sessions waiting for an advisory lock right now.</summary>
    public async Task<long> AdvisoryWaitersAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The process ids of the sessions that LISTEN for events (one per node).</summary>
    public async Task<List<int>> ListenerSessionsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'", connection);
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }
        return pids;
    }

    /// <summary>Ends the sessions whose last statement starts with <paramref name="queryPrefix"/> (as a dropped connection would).</summary>
    public async Task<long> TerminateSessionsAsync(string queryPrefix)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE @prefix AND pid <> pg_backend_pid()",
            connection);
        command.Parameters.AddWithValue("prefix", queryPrefix + "%");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
