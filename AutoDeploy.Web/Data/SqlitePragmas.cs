using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutoDeploy.Web.Data;

/// <summary>
/// Per-connection settings for the SQLite file, applied each time a connection opens: <c>synchronous = NORMAL</c>.
/// With the write-ahead log a commit then no longer waits for an fsync, so the one writer SQLite allows holds its
/// lock for far less time when many agents report at once (BENCHMARKS.md, reaction time). The database stays
/// consistent after a crash; only the last commits before a power cut can be lost.
/// (<c>busy_timeout</c> was tried as well, to wait for the lock inside SQLite rather than in Microsoft.Data.Sqlite's
/// 150 ms retry loop, but it made the auto-deploy end-to-end tests stall under load.)
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (connection is not SqliteConnection)
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (connection is not SqliteConnection)
        {
            return;
        }
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
