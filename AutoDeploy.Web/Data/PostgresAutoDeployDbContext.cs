using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AutoDeploy.Web.Data;

/// <summary>PostgreSQL, for several nodes on one database. Owns the migrations in Data/Migrations/Postgres.</summary>
public sealed class PostgresAutoDeployDbContext(
    DbContextOptions<PostgresAutoDeployDbContext> options, TimeProvider time, TaskSignals? signals = null)
    : AutoDeployDbContext(options, time, signals)
{
    /// <summary>Arbitrary, fixed key of the transaction-scoped advisory lock that serialises event appends.</summary>
    public const long EventAppendLockKey = 0x4164_4576_656e_7473;

    protected override async Task LockEventAppendsAsync(CancellationToken cancellationToken) =>
        await Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({EventAppendLockKey})", cancellationToken);
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without starting the app.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAutoDeployDbContext>
{
    public PostgresAutoDeployDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql("Host=localhost;Database=design").Options, TimeProvider.System);
}
