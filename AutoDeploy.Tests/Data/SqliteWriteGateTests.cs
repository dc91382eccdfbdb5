using AutoDeploy.Domain.Environments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Data;

/// <summary>
/// Writers of one SQLite file take turns through an awaited gate instead of sleeping in SQLite's busy retries.
/// Without the gate, the second BeginTransactionAsync below would block its caller in those retries for 30 s and
/// then fail with "database is locked"; with it, the call returns an unfinished task at once and goes on when the
/// first writer ends.
/// </summary>
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_second_transaction_waits_for_the_first_to_commit_without_blocking_its_caller()
    {
        await using var first = _database.CreateDbContext();
        await using var second = _database.CreateDbContext();
        var firstTransaction = await first.Database.BeginTransactionAsync();

        var secondBegins = second.Database.BeginTransactionAsync();

        Assert.False(secondBegins.IsCompleted);
        Assert.True(SqliteWriteGate.Instance.Holds(first.Database.GetDbConnection()));
        first.Environments.Add(DeploymentEnvironment.Create("Production", null, 0));
        await first.SaveChangesAsync();
        await firstTransaction.CommitAsync();
        await using var secondTransaction = await secondBegins.WaitAsync(Patience);
        Assert.False(SqliteWriteGate.Instance.Holds(first.Database.GetDbConnection()));
        Assert.True(SqliteWriteGate.Instance.Holds(second.Database.GetDbConnection()));
        Assert.Equal(1, await second.Environments.CountAsync());
    }

    [Fact]
    public async Task A_statement_outside_a_transaction_waits_for_the_writer_but_a_query_does_not()
    {
        await using var writer = _database.CreateDbContext();
        writer.Environments.Add(DeploymentEnvironment.Create("Production", null, 0));
        await writer.SaveChangesAsync();
        await using var other = _database.CreateDbContext();
        var transaction = await writer.Database.BeginTransactionAsync();

        var count = await other.Environments.CountAsync().WaitAsync(Patience);
        var update = other.Environments.ExecuteUpdateAsync(s => s.SetProperty(e => e.Description, "updated"));

        Assert.Equal(1, count);
        Assert.False(update.IsCompleted);
        await transaction.RollbackAsync();
        Assert.Equal(1, await update.WaitAsync(Patience));
        Assert.False(SqliteWriteGate.Instance.Holds(other.Database.GetDbConnection()));
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_gives_the_gate_back()
    {
        await using (var abandoned = _database.CreateDbContext())
        {
            await using var transaction = await abandoned.Database.BeginTransactionAsync();
            abandoned.Environments.Add(DeploymentEnvironment.Create("Never", null, 0));
            await abandoned.SaveChangesAsync();
        }
        await using var next = _database.CreateDbContext();

        next.Environments.Add(DeploymentEnvironment.Create("Production", null, 0));
        await next.SaveChangesAsync().WaitAsync(Patience);

        Assert.Equal(["Production"], await next.Environments.Select(e => e.Name).ToListAsync());
    }

    [Fact]
    public async Task A_writer_that_waits_past_the_connections_timeout_gets_a_clear_error()
    {
        await using var holder = _database.CreateDbContext();
        await using var transaction = await holder.Database.BeginTransactionAsync();
        await using var impatient = new SqliteAutoDeployDbContext(new DbContextOptionsBuilder<SqliteAutoDeployDbContext>()
            .UseSqlite(_database.ConnectionString + ";Default Timeout=1").UseAutoDeploy(_database.Time).Options);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => impatient.Database.BeginTransactionAsync());

        Assert.Contains("Waited 1 s for another writer", error.Message);
        Assert.False(SqliteWriteGate.Instance.Holds(impatient.Database.GetDbConnection()));
    }

    [Fact]
    public async Task A_writer_whose_wait_is_canceled_stops_without_an_error_and_holds_nothing()
    {
        await using var holder = _database.CreateDbContext();
        await using var transaction = await holder.Database.BeginTransactionAsync();
        var errors = new List<string>();
        await using var canceled = new SqliteAutoDeployDbContext(new DbContextOptionsBuilder<SqliteAutoDeployDbContext>()
            .UseSqlite(_database.ConnectionString).UseAutoDeploy(_database.Time)
            .LogTo(errors.Add, Microsoft.Extensions.Logging.LogLevel.Error).Options);
        using var cancel = new CancellationTokenSource();

        var waiting = canceled.Database.BeginTransactionAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.False(SqliteWriteGate.Instance.Holds(canceled.Database.GetDbConnection()));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Many_concurrent_writers_all_commit()
    {
        const int writers = 40;

        await Task.WhenAll(Enumerable.Range(1, writers).Select(i => Task.Run(async () =>
        {
            await using var db = _database.CreateDbContext();
            db.Environments.Add(DeploymentEnvironment.Create($"env-{i}", null, i));
            await db.SaveChangesAsync();
        }))).WaitAsync(Patience);

        await using var check = _database.CreateDbContext();
        Assert.Equal(writers, await check.Environments.CountAsync());
        Assert.Equal(writers, await check.Events.CountAsync());
    }
}
