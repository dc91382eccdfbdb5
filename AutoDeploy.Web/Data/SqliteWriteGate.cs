using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutoDeploy.Web.Data;

/// <summary>
/// Lets the writers of one SQLite file in this process take turns by awaiting a gate, instead of colliding on the
/// file's lock. SQLite allows one writer; Microsoft.Data.Sqlite makes every other one sleep 150 ms on a pool thread
/// and try again, so a wave of agents turned into seconds of sleeping threads while the lock sat free
/// (BENCHMARKS.md, reaction time). Through the gate a writer starts the moment the previous one ends.
/// <para>
/// A connection takes the gate when it begins a transaction (Microsoft.Data.Sqlite begins them IMMEDIATE, so every
/// transaction is a writer) and gives it back when the transaction commits, rolls back or fails, or the connection
/// closes. A statement outside a transaction takes it for its own execution unless it is a plain SELECT.
/// Waiting is bounded by the connection's default timeout, the same limit SQLite's own retries have.
/// </para>
/// </summary>
public sealed class SqliteWriteGate : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    public static readonly SqliteWriteGate Instance = new();

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<DbConnection, SemaphoreSlim> _holders = new();

    /// <summary>Whether this connection holds its file's gate now (for tests).</summary>
    public bool Holds(DbConnection connection) => _holders.ContainsKey(connection);

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        Enter(connection);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(connection, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(eventData.Context);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(eventData.Context);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Leave(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(eventData.Context);

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Leave(connection);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData) => Leave(connection);

    public void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => Leave(connection);

    public Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData) => Leave(connection);

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        EnterForStatement(command);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await EnterForStatementAsync(command, cancellationToken);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        EnterForStatement(command);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterForStatementAsync(command, cancellationToken);
        return result;
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        EnterForStatement(command);
        return result;
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await EnterForStatementAsync(command, cancellationToken);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        LeaveAfterStatement(command);
        return result;
    }

    public async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        await LeaveAfterStatement(command);
        return result;
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        LeaveAfterStatement(command);
        return result;
    }

    public async ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        await LeaveAfterStatement(command);
        return result;
    }

    // A statement that returns rows (INSERT ... RETURNING) finishes writing only when its reader is disposed.
    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        LeaveAfterStatement(command);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => LeaveAfterStatement(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default) =>
        LeaveAfterStatement(command);

    private void Enter(DbConnection connection)
    {
        if (GateOf(connection) is { } gate && !_holders.ContainsKey(connection))
        {
            if (!gate.Wait(WaitLimit(connection)))
            {
                throw TimedOut(connection);
            }
            _holders[connection] = gate;
        }
    }

    private async Task EnterAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (GateOf(connection) is { } gate && !_holders.ContainsKey(connection))
        {
            if (!await gate.WaitAsync(WaitLimit(connection), cancellationToken))
            {
                throw TimedOut(connection);
            }
            _holders[connection] = gate;
        }
    }

    private void EnterForStatement(DbCommand command)
    {
        if (IsWriteOutsideTransaction(command))
        {
            Enter(command.Connection!);
        }
    }

    private Task EnterForStatementAsync(DbCommand command, CancellationToken cancellationToken) =>
        IsWriteOutsideTransaction(command) ? EnterAsync(command.Connection!, cancellationToken) : Task.CompletedTask;

    private Task LeaveAfterStatement(DbCommand command) =>
        command.Transaction is null && command.Connection is { } connection ? Leave(connection) : Task.CompletedTask;

    // A finished SqliteTransaction no longer knows its connection; the context does.
    private Task Leave(DbContext? context) => Leave(context?.Database.GetDbConnection());

    private Task Leave(DbConnection? connection)
    {
        if (connection is not null && _holders.TryRemove(connection, out var gate))
        {
            gate.Release();
        }
        return Task.CompletedTask;
    }

    private static bool IsWriteOutsideTransaction(DbCommand command) =>
        command.Transaction is null && command.Connection is not null &&
        !command.CommandText.AsSpan().TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    /// <summary>One gate per database file; none for an in-memory database, which lives on one connection.</summary>
    private static SemaphoreSlim? GateOf(DbConnection connection)
    {
        var source = (connection as SqliteConnection)?.DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:" ||
            connection.ConnectionString.Contains("Mode=Memory", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return Gates.GetOrAdd(Path.GetFullPath(source), _ => new SemaphoreSlim(1, 1));
    }

    private static TimeSpan WaitLimit(DbConnection connection) =>
        connection is SqliteConnection { DefaultTimeout: > 0 } sqlite ? TimeSpan.FromSeconds(sqlite.DefaultTimeout) : Timeout.InfiniteTimeSpan;

    private static TimeoutException TimedOut(DbConnection connection) => new(
        $"Waited {WaitLimit(connection).TotalSeconds:0} s for another writer of the SQLite database '{connection.DataSource}' to finish. " +
        "A transaction is being held open too long, or a writer waits on itself through a second connection.");
}
