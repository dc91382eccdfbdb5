using AutoDeploy.Domain.Projects;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Secrets;

/// <summary>
/// At start-up, after the migrations: warns in Production when the key ring is stored unencrypted, and encrypts the
/// sensitive values of projects and releases still stored in plain text (written before values were encrypted).
/// Idempotent: encrypted values carry <see cref="SecretProtector.Prefix"/> and are left alone.
/// </summary>
public sealed class SecretMigration(
    IDbContextFactory<AutoDeployDbContext> factory, SecretProtector secrets, IOptions<KeyRingOptions> options, IHostEnvironment environment,
    ILogger<SecretMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.CertificatePath) && environment.IsProduction())
        {
            logger.LogWarning("DataProtection:CertificatePath is not set: the Data Protection keys, which encrypt sensitive variables " +
                "and sign sign-in cookies, are stored unencrypted in the database, so a copy of the database is enough to read " +
                "every secret. Configure a certificate kept outside the database (README: \"Protecting the key ring\")");
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var turn = await DatabaseInitializer.StartupLockAsync(db, cancellationToken);
        var count = await ProtectPlainValuesAsync(db, secrets, cancellationToken);
        if (count > 0)
        {
            logger.LogInformation("Encrypted the sensitive variables of {Count} projects and releases stored in plain text", count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Encrypts every plain sensitive value in place; returns how many projects and releases changed.</summary>
    public static async Task<int> ProtectPlainValuesAsync(AutoDeployDbContext db, SecretProtector secrets, CancellationToken cancellationToken)
    {
        // Written in place, not through the documents: nothing a user sees changes, so no event and no new version.
        var changed = 0;
        foreach (var project in await db.Projects.AsNoTracking().Select(p => new { p.Id, p.Variables }).ToListAsync(cancellationToken))
        {
            if (secrets.ProtectPlain(project.Variables) is { } variables)
            {
                changed += await db.Projects.Where(p => p.Id == project.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Variables, variables), cancellationToken);
            }
        }
        foreach (var release in await db.Releases.AsNoTracking().Select(r => new { r.Id, r.Variables }).ToListAsync(cancellationToken))
        {
            if (secrets.ProtectPlain(release.Variables) is { } variables)
            {
                changed += await db.Releases.Where(r => r.Id == release.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Variables, variables), cancellationToken);
            }
        }
        return changed;
    }
}
