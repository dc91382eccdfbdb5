using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Tests.Machines;

public sealed class MachineServiceQueryTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private MachineService _service = null!;
    private DeploymentEnvironment _production = null!;
    private DeploymentEnvironment _test = null!;
    private MachinePolicy _policy = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _service = _database.CreateMachineService();
        _production = await _database.AddEnvironmentAsync("Production", 2);
        _test = await _database.AddEnvironmentAsync("Test", 1);
        _policy = await _database.AddPolicyAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Search_matches_part_of_the_name_case_insensitively()
    {
        await AddAsync("web-01");
        await AddAsync("API-WEB");
        await AddAsync("db-01");

        var list = await _service.QueryAsync(new MachineQuery(Search: "Web"));

        Assert.Equal(["API-WEB", "web-01"], Names(list));
    }

    [Fact]
    public async Task Environment_filter_keeps_machines_in_that_environment()
    {
        await AddAsync("prod-01", [_production]);
        await AddAsync("both-01", [_test, _production]);
        await AddAsync("test-01", [_test]);

        var list = await _service.QueryAsync(new MachineQuery(EnvironmentId: _production.Id));

        Assert.Equal(["both-01", "prod-01"], Names(list));
    }

    [Fact]
    public async Task Role_filter_keeps_machines_with_that_role()
    {
        await AddAsync("web-01", roles: ["web"]);
        await AddAsync("mixed-01", roles: ["web", "worker"]);
        await AddAsync("worker-01", roles: ["worker"]);

        var list = await _service.QueryAsync(new MachineQuery(Role: "worker"));

        Assert.Equal(["mixed-01", "worker-01"], Names(list));
    }

    [Fact]
    public async Task Health_filter_keeps_machines_with_that_status()
    {
        await AddAsync("ok-01", health: MachineHealthStatus.Healthy);
        await AddAsync("down-01", health: MachineHealthStatus.Unavailable);

        var list = await _service.QueryAsync(new MachineQuery(Health: MachineHealthStatus.Unavailable));

        Assert.Equal(["down-01"], Names(list));
    }

    [Fact]
    public async Task Enabled_filter_keeps_disabled_machines_when_asked()
    {
        await AddAsync("on-01");
        await AddAsync("off-01", enabled: false);

        var list = await _service.QueryAsync(new MachineQuery(IsEnabled: false));

        Assert.Equal(["off-01"], Names(list));
    }

    [Fact]
    public async Task Paging_returns_the_requested_slice_in_name_order_and_the_total()
    {
        foreach (var name in new[] { "m-5", "m-3", "m-1", "m-4", "m-2" })
        {
            await AddAsync(name);
        }

        var list = await _service.QueryAsync(new MachineQuery(Skip: 2, Take: 2));

        Assert.Equal(["m-3", "m-4"], Names(list));
        Assert.Equal(5, list.Total);
    }

    [Fact]
    public async Task Items_carry_environments_in_sort_order_roles_health_and_enabled()
    {
        await AddAsync("web-01", [_production, _test], ["worker", "web"], MachineHealthStatus.HasWarnings, enabled: false);

        var item = Assert.Single((await _service.QueryAsync(new MachineQuery())).Items);

        Assert.Equal(["Test", "Production"], item.Environments.Select(e => e.Name));
        Assert.Equal(["web", "worker"], item.Roles);
        Assert.Equal(MachineHealthStatus.HasWarnings, item.HealthStatus);
        Assert.False(item.IsEnabled);
    }

    [Fact]
    public async Task GetAsync_returns_the_twenty_newest_events_newest_first()
    {
        var machine = await AddAsync("web-01");
        for (var i = 0; i < 12; i++)
        {
            await _service.SetEnabledAsync(machine.Id, enabled: false);
            await _service.SetEnabledAsync(machine.Id, enabled: true);
        }

        var details = await _service.GetAsync(machine.Id);

        Assert.Equal(MachineService.RecentEventCount, details!.RecentEvents.Count);
        Assert.Equal(details.RecentEvents.Select(e => e.Id).OrderDescending(), details.RecentEvents.Select(e => e.Id));
        Assert.Equal("MachineEnabled", details.RecentEvents[0].Category);
    }

    [Fact]
    public async Task GetAsync_returns_the_policy_and_environments()
    {
        var machine = await AddAsync("web-01", [_production]);

        var details = await _service.GetAsync(machine.Id);

        Assert.Equal(new NamedRef(_policy.Id, _policy.Name), details!.Policy);
        Assert.Equal([new NamedRef(_production.Id, "Production")], details.Environments);
    }

    [Fact]
    public async Task GetAsync_of_an_unknown_id_is_null()
    {
        var details = await _service.GetAsync(404);

        Assert.Null(details);
    }

    [Fact]
    public async Task GetOptionsAsync_lists_environments_policies_and_the_roles_in_use()
    {
        await AddAsync("web-01", roles: ["web", "db"]);
        await AddAsync("web-02", roles: ["web"]);

        var options = await _service.GetOptionsAsync();

        Assert.Equal(["Test", "Production"], options.Environments.Select(e => e.Name));
        Assert.Equal([_policy.Name], options.Policies.Select(p => p.Name));
        Assert.Equal(["db", "web"], options.Roles);
    }

    private Task<Machine> AddAsync(string name, DeploymentEnvironment[]? environments = null, string[]? roles = null,
        MachineHealthStatus health = MachineHealthStatus.Unknown, bool enabled = true) =>
        _database.AddMachineAsync(name, environments ?? [_production], _policy, roles, health, enabled);

    private static List<string> Names(MachineList list) => list.Items.Select(i => i.Name).ToList();
}
