using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Data;

/// <summary>
/// The app's contexts come from a pool: the same instance is handed out again, so it must carry its clock in its
/// options and forget what an earlier user recorded but never saved.
/// </summary>
public sealed class PooledContextTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _services = new ServiceCollection()
            .AddPooledDbContextFactory<SqliteAutoDeployDbContext>(o => o.UseSqlite(_database.ConnectionString).UseAutoDeploy(_database.Time))
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    private IDbContextFactory<SqliteAutoDeployDbContext> Factory => _services.GetRequiredService<IDbContextFactory<SqliteAutoDeployDbContext>>();

    [Fact]
    public async Task A_context_handed_out_again_does_not_save_events_its_earlier_user_recorded()
    {
        var first = await Factory.CreateDbContextAsync();
        first.Record(new DomainEvent(EventCategories.AutoDeployTriggered, "never saved"));
        await first.DisposeAsync();

        await using var second = await Factory.CreateDbContextAsync();
        second.Environments.Add(DeploymentEnvironment.Create("Production", null, 0));
        await second.SaveChangesAsync();

        Assert.Same(first, second);
        Assert.Equal([EventCategories.Created], await second.Events.Select(e => e.Category).ToListAsync());
    }

    [Fact]
    public async Task A_pooled_context_returned_with_its_transaction_neither_committed_nor_rolled_back_gives_the_write_gate_back()
    {
        var first = await Factory.CreateDbContextAsync();
        var transaction = await first.Database.BeginTransactionAsync();
        await transaction.DisposeAsync();
        await first.DisposeAsync();

        await AssertAnotherWriterGetsTheGateAsync();
    }

    [Fact]
    public async Task A_pooled_context_returned_inside_its_transaction_gives_the_write_gate_back()
    {
        var first = await Factory.CreateDbContextAsync();
        await first.Database.BeginTransactionAsync();
        await first.DisposeAsync();

        await AssertAnotherWriterGetsTheGateAsync();
    }

    /// <summary>A writer that would time out after 2 s if the gate were still held begins its transaction.</summary>
    private async Task AssertAnotherWriterGetsTheGateAsync()
    {
        await using var other = new SqliteAutoDeployDbContext(new DbContextOptionsBuilder<SqliteAutoDeployDbContext>()
            .UseSqlite(_database.ConnectionString + ";Default Timeout=2").UseAutoDeploy(_database.Time).Options);
        await using var next = await other.Database.BeginTransactionAsync();

        Assert.True(SqliteWriteGate.Instance.Holds(other.Database.GetDbConnection()));
    }

    [Fact]
    public async Task A_pooled_context_keeps_the_clock_and_the_interceptors_of_its_options()
    {
        await using var db = await Factory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();

        Assert.Same(_database.Time, db.Time);
        Assert.True(SqliteWriteGate.Instance.Holds(db.Database.GetDbConnection()));
    }
}
