using AutoDeploy.Domain.Policies;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Data;

/// <summary>
/// Applies migrations and seeds the default machine policy before the server takes requests. On PostgreSQL, nodes
/// starting together take turns (a session advisory lock), so the schema is migrated and the policy created once.
/// </summary>
public sealed class DatabaseInitializer(IDbContextFactory<AutoDeployDbContext> factory, ILogger<DatabaseInitializer> logger)
    : IHostedService
{
    /// <summary>Arbitrary, fixed advisory-lock key of start-up initialization (this and the identity initializer).</summary>
    public const long StartupLockKey = 0x4164_5374_6172_7401;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var turn = await StartupLockAsync(db, cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the UI read while a worker writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await db.Database.MigrateAsync(cancellationToken);
        if (!await db.MachinePolicies.AnyAsync(p => p.IsDefault, cancellationToken))
        {
            db.MachinePolicies.Add(MachinePolicy.CreateDefault());
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Created the '{Policy}'", MachinePolicy.DefaultName);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// On PostgreSQL, waits for the start-up lock (released by disposing it, or by the server if this process dies);
    /// elsewhere nothing (SQLite serves one node).
    /// </summary>
    public static async Task<IAsyncDisposable?> StartupLockAsync(AutoDeployDbContext db, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? await PostgresAdvisoryLock.AcquireAsync(db.Database.GetConnectionString()!, StartupLockKey, wait: true, maxIdle: null, cancellationToken)
            : null;
}
