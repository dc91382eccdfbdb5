using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Machines;

/// <summary>The service's queries translate on PostgreSQL too (roles as a text array, search on NormalizedName).</summary>
[Collection("postgres")]
public sealed class MachineServicePostgresTests(PostgresServer server)
{
    [Fact]
    public async Task Filters_paging_and_options_translate_on_postgres()
    {
        var factory = await CreateFactoryAsync();
        var production = await factory.AddEnvironmentAsync("Production");
        var policy = await factory.AddPolicyAsync();
        await factory.AddMachineAsync("web-01", [production], policy, ["web"], MachineHealthStatus.Healthy);
        await factory.AddMachineAsync("web-02", [production], policy, ["web", "worker"], MachineHealthStatus.Healthy);
        await factory.AddMachineAsync("db-01", [production], policy, ["db"]);
        var service = Service(factory);

        var list = await service.QueryAsync(new MachineQuery("WEB", production.Id, "worker", MachineHealthStatus.Healthy, true, 0, 10));
        var options = await service.GetOptionsAsync();

        Assert.Equal(["web-02"], list.Items.Select(i => i.Name));
        Assert.Equal(1, list.Total);
        Assert.Equal(["db", "web", "worker"], options.Roles);
    }

    [Fact]
    public async Task Register_update_and_delete_record_machine_events_on_postgres()
    {
        var factory = await CreateFactoryAsync();
        await factory.AddEnvironmentAsync("Production");
        await factory.AddPolicyAsync();
        var service = Service(factory);

        var (_, registration) = await factory.CreateRegistrationService(TimeProvider.System).RegisterAsync(MachineTestData.Registration("web-01", "production"));
        var input = (await service.GetAsync(registration!.MachineId))!.ToInput();
        input.Roles = ["worker"];
        await service.UpdateAsync(registration.MachineId, input);
        await service.DeleteAsync(registration.MachineId);

        Assert.Equal(
            [EventCategories.MachineAdded, EventCategories.MachineDeploymentRelatedPropertyWasUpdated, EventCategories.MachineDeleted],
            await factory.MachineEventCategoriesAsync(registration.MachineId));
    }

    private static MachineService Service(IDbContextFactory<AutoDeployDbContext> factory) =>
        new(factory, new MachineInputValidator(), new TaskSignals(), TimeProvider.System);

    private async Task<PostgresFactory> CreateFactoryAsync()
    {
        var factory = new PostgresFactory(await server.CreateDatabaseAsync());
        await using var db = factory.CreateDbContext();
        await db.Database.MigrateAsync();
        return factory;
    }

    private sealed class PostgresFactory(string connectionString) : IDbContextFactory<AutoDeployDbContext>
    {
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

        public AutoDeployDbContext CreateDbContext() =>
            new PostgresAutoDeployDbContext(new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(connectionString).UseAutoDeploy(_time).Options);
    }
}
