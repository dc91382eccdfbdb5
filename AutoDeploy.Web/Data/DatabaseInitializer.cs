using AutoDeploy.Domain.Policies;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Data;

/// <summary>Applies migrations and seeds the default machine policy before the server takes requests.</summary>
public sealed class DatabaseInitializer(IDbContextFactory<AutoDeployDbContext> factory, ILogger<DatabaseInitializer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
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
}
