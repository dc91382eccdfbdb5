using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>A migrated database of its own on the throwaway PostgreSQL server, as an <see cref="IDbContextFactory{TContext}"/>.</summary>
internal sealed class PostgresDatabase : IDbContextFactory<AutoDeployDbContext>
{
    private PostgresDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync(PostgresServer server)
    {
        var database = new PostgresDatabase(await server.CreateDatabaseAsync());
        await using var db = database.CreateDbContext();
        await db.Database.MigrateAsync();
        return database;
    }

    public AutoDeployDbContext CreateDbContext() => new PostgresAutoDeployDbContext(
        new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(ConnectionString).Options, TimeProvider.System);

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
