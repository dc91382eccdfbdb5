using Npgsql;

namespace AutoDeploy.Web.Data;

/// <summary>
/// A PostgreSQL advisory lock held by a transaction on a connection of its own. Disposing it rolls the transaction back,
/// which releases the lock at once (a session-level lock on a pooled connection could outlive its holder); if the
/// process dies the server drops the connection and the lock with it.
/// </summary>
public sealed class PostgresAdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private PostgresAdvisoryLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>
    /// Takes the lock (waiting for it as long as <paramref name="cancellationToken"/> allows, or null at once when
    /// <paramref name="wait"/> is false and another session holds it). With <paramref name="maxIdle"/>, the server ends the session, and the lock, when its holder stays idle longer.
    /// </summary>
    public static async Task<PostgresAdvisoryLock?> AcquireAsync(string connectionString, long key, bool wait, TimeSpan? maxIdle,
        CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (maxIdle is { } idle)
            {
                await using var limit = new NpgsqlCommand(
                    $"SET LOCAL idle_in_transaction_session_timeout = {(long)idle.TotalMilliseconds}", connection, transaction);
                await limit.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var command = new NpgsqlCommand(
                wait ? $"SELECT true FROM pg_advisory_xact_lock({key})" : $"SELECT pg_try_advisory_xact_lock({key})", connection, transaction);
            if (wait)
            {
                // Waiting is the point: the holder may work for minutes (a node migrating the database while another starts).
                // The default command timeout (30 s) ended a starting node so; the caller's token bounds the wait instead.
                command.CommandTimeout = 0;
            }
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return new PostgresAdvisoryLock(connection, transaction);
            }
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
            return null;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
        catch (Exception)
        {
            // The session already ended (its holder stalled past the limit, or the server went away): so did the lock.
        }
    }
}
