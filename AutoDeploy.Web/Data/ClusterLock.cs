using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Data;

/// <summary>
/// One holder at a time across every node on the database, for passes that should not run twice at once (the
/// auto-deploy engine, the health-check worker). On PostgreSQL it is a transaction-scoped advisory lock on a
/// connection of its own, released when the holder is done, when its node dies (the connection closes), or when
/// the holder stalls longer than the node's lease (<c>idle_in_transaction_session_timeout</c> ends the session).
/// Within one process, and so on SQLite (one node), it is a semaphore. Correctness never rests on it alone: what
/// it guards stays safe with two holders (conditional cursor, unique indexes); it only saves wasted work.
/// </summary>
public sealed class ClusterLock(IDbContextFactory<AutoDeployDbContext> factory, NodeIdentity node)
{
    /// <summary>Arbitrary, fixed advisory-lock keys.</summary>
    public const long AutoDeployPass = 0x4164_5061_7373_0001;
    public const long HealthCheckPass = 0x4164_5061_7373_0002;
    public const long RetentionSweep = 0x4164_5061_7373_0003;

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _local = new();
    private string? _postgres;
    private bool _providerKnown;

    /// <summary>Waits until this caller holds the lock; dispose to release it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(long key, CancellationToken cancellationToken) =>
        (await EnterAsync(key, wait: true, cancellationToken))!;

    /// <summary>The lock if nobody holds it now, else null.</summary>
    public Task<IAsyncDisposable?> TryAcquireAsync(long key, CancellationToken cancellationToken) =>
        EnterAsync(key, wait: false, cancellationToken);

    private async Task<IAsyncDisposable?> EnterAsync(long key, bool wait, CancellationToken cancellationToken)
    {
        var local = _local.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        if (!await local.WaitAsync(wait ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, cancellationToken))
        {
            return null;
        }
        try
        {
            if (PostgresConnectionString() is not { } connectionString)
            {
                return new Holder(local, null);
            }
            var held = await PostgresAdvisoryLock.AcquireAsync(connectionString, key, wait, node.LeaseDuration, cancellationToken);
            if (held is not null)
            {
                return new Holder(local, held);
            }
            local.Release();
            return null;
        }
        catch
        {
            local.Release();
            throw;
        }
    }

    private string? PostgresConnectionString()
    {
        if (!_providerKnown)
        {
            using var db = factory.CreateDbContext();
            _postgres = db.Database.IsNpgsql() ? db.Database.GetConnectionString() : null;
            _providerKnown = true;
        }
        return _postgres;
    }

    private sealed class Holder(SemaphoreSlim local, PostgresAdvisoryLock? held) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (held is not null)
                {
                    await held.DisposeAsync();
                }
            }
            finally
            {
                local.Release();
            }
        }
    }
}
