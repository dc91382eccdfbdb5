using AutoDeploy.Domain.Environments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Signals;

/// <summary>
/// The engine and the feed are woken when events are committed, not merely saved: a wake-up inside a caller's
/// transaction would come before the events are visible and be lost (the engine then waited for its fallback scan).
/// </summary>
public sealed class EventCommitNotifierTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TaskSignals _signals = new();
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Events_saved_inside_a_callers_transaction_wake_the_engine_when_it_commits_and_not_before()
    {
        var engineWoken = _signals.Events.WaitAsync(0, TimeSpan.FromMinutes(5), TimeProvider.System, CancellationToken.None);
        await using var db = CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Environments.Add(DeploymentEnvironment.Create("Production", null, 0));
        await db.SaveChangesAsync();

        var early = await Task.WhenAny(engineWoken, Task.Delay(TimeSpan.FromMilliseconds(300)));
        await transaction.CommitAsync();

        Assert.NotSame(engineWoken, early);
        await engineWoken.WaitAsync(Patience);
    }

    [Fact]
    public async Task Events_saved_on_their_own_wake_the_engine_and_the_feed()
    {
        var engineWoken = _signals.Events.WaitAsync(0, TimeSpan.FromMinutes(5), TimeProvider.System, CancellationToken.None);
        var feedWoken = _signals.Feed.WaitAsync(0, TimeSpan.FromMinutes(5), TimeProvider.System, CancellationToken.None);
        await using var db = CreateDbContext();
        db.Environments.Add(DeploymentEnvironment.Create("Production", null, 0));

        await db.SaveChangesAsync();

        await Task.WhenAll(engineWoken, feedWoken).WaitAsync(Patience);
    }

    private SqliteAutoDeployDbContext CreateDbContext() =>
        new(new DbContextOptionsBuilder<SqliteAutoDeployDbContext>().UseSqlite(_database.ConnectionString).UseAutoDeploy(_database.Time, _signals).Options);
}
