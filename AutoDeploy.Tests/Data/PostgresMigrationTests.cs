using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Data;

[Collection("postgres")]
public sealed class PostgresMigrationTests(PostgresServer server)
{
    [Fact]
    public async Task Migrations_apply_and_a_machine_with_its_events_round_trips()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var connectionString = await server.CreateDatabaseAsync();
        PostgresAutoDeployDbContext Create() =>
            new(new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(connectionString).UseAutoDeploy(time).Options);
        await using (var db = Create())
        {
            await db.Database.MigrateAsync();
            var environment = DeploymentEnvironment.Create("Production", null, 0);
            var policy = MachinePolicy.CreateDefault();
            db.AddRange(environment, policy);
            await db.SaveChangesAsync();
            db.Machines.Add(Machine.Register("web-01", [environment], ["web", "api"], policy, time.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        await using var check = Create();
        var machine = await check.Machines.Include(m => m.Environments).SingleAsync(m => m.Roles.Contains("web"));
        Assert.Equal(["api", "web"], machine.Roles);
        Assert.Equal("Production", Assert.Single(machine.Environments).Name);
        var categories = await check.Events.OrderBy(e => e.Id).Select(e => e.Category).ToListAsync();
        Assert.Equal([EventCategories.Created, EventCategories.Created, EventCategories.MachineAdded], categories);
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task The_database_refuses_to_update_an_event()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var db = new PostgresAutoDeployDbContext(
            new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(connectionString).UseAutoDeploy(TimeProvider.System).Options);
        await db.Database.MigrateAsync();
        db.Environments.Add(DeploymentEnvironment.Create("Test", null, 0));
        await db.SaveChangesAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"Events\" SET \"Message\" = 'x'"));

        Assert.Contains("append-only", error.Message);
    }

    [Theory]
    [InlineData("DELETE FROM \"Events\"")]
    [InlineData("TRUNCATE \"Events\"")]
    public async Task The_database_refuses_to_erase_events(string sql)
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var db = new PostgresAutoDeployDbContext(
            new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(connectionString).UseAutoDeploy(TimeProvider.System).Options);
        await db.Database.MigrateAsync();
        db.Environments.Add(DeploymentEnvironment.Create("Test", null, 0));
        await db.SaveChangesAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(sql));

        Assert.Contains("append-only", error.Message);
        Assert.Equal(1, await db.Events.CountAsync());
    }
}
