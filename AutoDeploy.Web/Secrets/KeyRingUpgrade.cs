using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Secrets;

/// <summary>
/// When a certificate is configured on a server whose key ring has keys stored unencrypted (written before it was):
/// a new key, encrypted with the certificate, takes over; every sensitive value is encrypted again under it; the
/// unencrypted keys are deleted. Otherwise a copy of the database would still hold keys that decrypt the secrets.
/// </summary>
/// <remarks>
/// Sign-in cookies and forms made with the deleted keys stop working: their users sign in again. Runs before
/// <see cref="SecretMigration"/>, under the same start-up lock, so nodes starting together do it once.
/// </remarks>
public sealed class KeyRingUpgrade(
    IDbContextFactory<AutoDeployDbContext> factory, IKeyManager keys, SecretProtector secrets, TimeProvider time,
    ILogger<KeyRingUpgrade> logger) : IHostedService
{
    /// <summary>The element of a key's secret when it is stored unencrypted (encrypted, it is an encryptedSecret).</summary>
    private const string UnencryptedMarker = "<masterKey";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var turn = await DatabaseInitializer.StartupLockAsync(db, cancellationToken);
        var unencrypted = await db.DataProtectionKeys.AsNoTracking().Where(k => k.Xml != null && k.Xml.Contains(UnencryptedMarker))
            .Select(k => k.Id).ToListAsync(cancellationToken);
        if (unencrypted.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var key = keys.CreateNewKey(now, now.AddDays(90));
        // Deleting a key loses what it encrypted: first make sure values are now encrypted under the new one.
        if (!await BecomesCurrentAsync(key.KeyId, cancellationToken))
        {
            logger.LogError("The new Data Protection key {Key} did not become the current one; the {Count} keys stored unencrypted " +
                "are kept. Check that this server's clock is right", key.KeyId, unencrypted.Count);
            return;
        }
        var changed = await ReprotectAllAsync(db, cancellationToken);
        await db.DataProtectionKeys.Where(k => unencrypted.Contains(k.Id)).ExecuteDeleteAsync(cancellationToken);
        logger.LogWarning("Replaced {Keys} Data Protection keys stored unencrypted by one encrypted with the configured certificate, " +
            "and encrypted the sensitive variables of {Documents} projects and releases again under it. Sign-ins made before " +
            "this start are signed out", unencrypted.Count, changed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Whether new values are encrypted under the key within a few seconds. Data Protection loaded the key ring at start-up
    /// and, once told that a key was added, reloads it in the background while it still answers with the ring it has.
    /// </summary>
    private async Task<bool> BecomesCurrentAsync(Guid keyId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (KeyIdOf(secrets.Protect("probe")) == keyId)
            {
                return true;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        return false;
    }

    /// <summary>The key a Data Protection payload was made with: its 16-byte id follows the payload's 4-byte magic header.</summary>
    private static Guid KeyIdOf(string stored) =>
        new(WebEncoders.Base64UrlDecode(stored[SecretProtector.Prefix.Length..]).AsSpan(4, 16));

    private async Task<int> ReprotectAllAsync(AutoDeployDbContext db, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var project in await db.Projects.AsNoTracking().Select(p => new { p.Id, p.Variables }).ToListAsync(cancellationToken))
        {
            if (project.Variables.Any(v => v.IsSensitive))
            {
                var variables = secrets.ProtectAgain(project.Variables);
                changed += await db.Projects.Where(p => p.Id == project.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Variables, variables), cancellationToken);
            }
        }
        foreach (var release in await db.Releases.AsNoTracking().Select(r => new { r.Id, r.Variables }).ToListAsync(cancellationToken))
        {
            if (release.Variables.Any(v => v.IsSensitive))
            {
                var variables = secrets.ProtectAgain(release.Variables);
                changed += await db.Releases.Where(r => r.Id == release.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Variables, variables), cancellationToken);
            }
        }
        return changed;
    }
}
