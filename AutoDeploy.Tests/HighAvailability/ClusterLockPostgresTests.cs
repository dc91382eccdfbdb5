using AutoDeploy.Domain.Environments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>The cross-node lock on PostgreSQL: two nodes are two <see cref="ClusterLock"/>s on one database.</summary>
[Collection("postgres")]
public sealed class ClusterLockPostgresTests(PostgresServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_second_node_waits_for_the_lock_until_the_first_node_releases_it()
    {
        var database = await PostgresDatabase.CreateAsync(server);
        var (a, b) = (Lock(database, "node-a"), Lock(database, "node-b"));
        var held = await a.AcquireAsync(ClusterLock.AutoDeployPass, default);

        var busy = await b.TryAcquireAsync(ClusterLock.AutoDeployPass, default);
        var waiting = b.AcquireAsync(ClusterLock.AutoDeployPass, default);
        await Eventually.TrueAsync(async () => await database.AdvisoryWaitersAsync() == 1, Patience, () => "node-b should wait for the lock");
        var completedWhileHeld = waiting.IsCompleted;
        await held.DisposeAsync();
        await using var second = await waiting.WaitAsync(Patience);

        Assert.Null(busy);
        Assert.False(completedWhileHeld);
    }

    [Fact]
    public async Task A_wait_for_the_lock_outlasts_the_command_timeout()
    {
        // A node starting while another migrates waits on the start-up lock for as long as the migration takes; the
        // command timeout (here 1 s) is for queries, and once ended such a wait, and the starting node with it.
        var database = await PostgresDatabase.CreateAsync(server);
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { CommandTimeout = 1 }.ConnectionString;
        await using var held = await PostgresAdvisoryLock.AcquireAsync(connectionString, 4242, wait: true, maxIdle: null, default);

        var waiting = PostgresAdvisoryLock.AcquireAsync(connectionString, 4242, wait: true, maxIdle: null, default);
        await Eventually.TrueAsync(async () => await database.AdvisoryWaitersAsync() == 1, Patience, () => "the second session should wait");
        // Past the command timeout, the wait still stands: it is still a waiter, not a timed-out command.
        var pastTimeout = DateTime.UtcNow.AddSeconds(2);
        await Eventually.TrueAsync(async () => DateTime.UtcNow > pastTimeout && await database.AdvisoryWaitersAsync() == 1, Patience,
            () => "the wait should outlast the command timeout");
        Assert.False(waiting.IsCompleted);
        await held!.DisposeAsync();

        await using var second = await waiting.WaitAsync(Patience);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task A_holder_that_stalls_past_its_lease_loses_the_lock_to_another_node()
    {
        var database = await PostgresDatabase.CreateAsync(server);
        var stalled = await Lock(database, "node-a", TimeSpan.FromSeconds(1)).AcquireAsync(ClusterLock.AutoDeployPass, default);
        var b = Lock(database, "node-b");
        IAsyncDisposable? taken = null;

        await Eventually.TrueAsync(async () => (taken = await b.TryAcquireAsync(ClusterLock.AutoDeployPass, default)) is not null, Patience,
            () => "the server should end the stalled holder's session after its lease");
        await taken!.DisposeAsync();
        await stalled.DisposeAsync();
    }

    [Fact]
    public async Task Locks_of_different_passes_do_not_block_each_other()
    {
        var database = await PostgresDatabase.CreateAsync(server);
        await using var engine = await Lock(database, "node-a").AcquireAsync(ClusterLock.AutoDeployPass, default);

        await using var health = await Lock(database, "node-b").TryAcquireAsync(ClusterLock.HealthCheckPass, default);

        Assert.NotNull(health);
    }

    [Fact]
    public async Task A_transaction_lock_makes_a_second_node_s_check_wait_for_the_first_node_s_commit()
    {
        var database = await PostgresDatabase.CreateAsync(server);
        await using var first = database.CreateDbContext();
        await using var second = database.CreateDbContext();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        await first.LockForTransactionAsync(42, default);
        first.Environments.Add(DeploymentEnvironment.Create("Production", null, 0));
        await first.SaveChangesAsync();

        await using var secondTransaction = await second.Database.BeginTransactionAsync();
        var waiting = second.LockForTransactionAsync(42, default);
        await Eventually.TrueAsync(async () => await database.AdvisoryWaitersAsync() == 1, Patience, () => "the second check should wait");
        var completedWhileHeld = waiting.IsCompleted;
        await firstTransaction.CommitAsync();
        await waiting.WaitAsync(Patience);
        var seen = await second.Environments.CountAsync();

        Assert.False(completedWhileHeld);
        Assert.Equal(1, seen);
    }

    private static ClusterLock Lock(PostgresDatabase database, string node, TimeSpan? lease = null) =>
        new(database, new NodeIdentity(node, lease ?? TimeSpan.FromSeconds(30)));
}
