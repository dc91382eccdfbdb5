using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AutoDeploy.Web.Data;

/// <summary>PostgreSQL, for several nodes on one database. Owns the migrations in Data/Migrations/Postgres.</summary>
public sealed class PostgresAutoDeployDbContext(DbContextOptions<PostgresAutoDeployDbContext> options)
    : AutoDeployDbContext(options)
{
    /// <summary>Arbitrary, fixed key of the transaction-scoped advisory lock that serialises event appends.</summary>
    public const long EventAppendLockKey = 0x4164_4576_656e_7473;

    public override async Task LockForTransactionAsync(long key, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A transaction-scoped lock needs an open transaction.");
        }
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
    }

    /// <summary>
    /// Also queues a NOTIFY in the same transaction: PostgreSQL delivers it to every listening node when (and only if)
    /// the events commit, and folds repeated ones of a transaction into one.
    /// </summary>
    protected override async Task LockEventAppendsAsync(CancellationToken cancellationToken) =>
        await Database.ExecuteSqlRawAsync(
            $"SELECT pg_advisory_xact_lock({EventAppendLockKey}), pg_notify('{EventNotificationListener.EventsChannel}', '')", cancellationToken);
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without starting the app.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAutoDeployDbContext>
{
    public PostgresAutoDeployDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
