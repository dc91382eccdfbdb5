using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Machines;

public sealed class MachineServiceRegisterTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private MachineRegistrationService _service = null!;
    private MachineService _machines = null!;
    private MachinePolicy _defaultPolicy = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _service = _database.CreateRegistrationService(_database.Time);
        _machines = _database.CreateMachineService();
        await _database.AddEnvironmentAsync("Production");
        await _database.AddEnvironmentAsync("Test");
        _defaultPolicy = await _database.AddPolicyAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Registering_creates_the_machine_in_the_named_environments_with_the_default_policy()
    {
        var (result, registration) = await _service.RegisterAsync(MachineTestData.Registration("web-01", "production", "Test"));

        Assert.True(result.Succeeded);
        var machine = await _machines.GetAsync(registration!.MachineId);
        Assert.Equal(["Production", "Test"], machine!.Environments.Select(e => e.Name).Order());
        Assert.Equal(_defaultPolicy.Id, machine.Policy.Id);
        Assert.Equal(["web"], machine.Roles);
        Assert.Equal("1.0.0", machine.AgentVersion);
    }

    [Fact]
    public async Task Registering_records_MachineAdded()
    {
        var (_, registration) = await _service.RegisterAsync(MachineTestData.Registration("web-01", "Production"));

        Assert.Equal([EventCategories.MachineAdded], await _database.MachineEventCategoriesAsync(registration!.MachineId));
    }

    [Fact]
    public async Task A_named_policy_is_found_case_insensitively()
    {
        var spot = await _database.AddPolicyAsync("Spot instances");
        var request = MachineTestData.Registration("web-01", "Production");
        request.Policy = "SPOT INSTANCES";

        var (_, registration) = await _service.RegisterAsync(request);

        Assert.Equal(spot.Id, (await _machines.GetAsync(registration!.MachineId))!.Policy.Id);
    }

    [Fact]
    public async Task Unknown_environment_names_are_named_and_nothing_is_written()
    {
        var eventsBefore = await _database.EventCountAsync();

        var (result, registration) = await _service.RegisterAsync(MachineTestData.Registration("web-01", "Prod", "Test", "QA"));

        Assert.Equal(SaveStatus.Invalid, result.Status);
        Assert.Null(registration);
        Assert.Equal(["Unknown environments: 'Prod', 'QA'."], result.Errors![nameof(RegistrationRequest.Environments)]);
        Assert.Equal(eventsBefore, await _database.EventCountAsync());
        Assert.False(await _machines.AnyAsync());
    }

    [Fact]
    public async Task An_unknown_policy_name_is_named()
    {
        var request = MachineTestData.Registration("web-01", "Production");
        request.Policy = "Nightly";

        var (result, _) = await _service.RegisterAsync(request);

        Assert.Equal(["Unknown machine policy: 'Nightly'."], result.Errors![nameof(RegistrationRequest.Policy)]);
    }

    [Fact]
    public async Task An_invalid_request_is_refused_with_every_message()
    {
        var request = MachineTestData.Registration("", "Production");
        request.Roles = ["Web"];

        var (result, _) = await _service.RegisterAsync(request);

        Assert.Equal(SaveStatus.Invalid, result.Status);
        Assert.Equal(["Name", "Roles"], result.Errors!.Keys.Order());
    }

    [Fact]
    public async Task A_name_already_registered_is_a_conflict()
    {
        await _service.RegisterAsync(MachineTestData.Registration("web-01", "Production"));

        var (result, _) = await _service.RegisterAsync(MachineTestData.Registration("WEB-01", "Test"));

        Assert.Equal(SaveStatus.Conflict, result.Status);
        Assert.Equal(1, (await _machines.QueryAsync(new MachineQuery())).Total);
    }

    [Fact]
    public async Task Only_the_sha256_of_the_token_is_stored()
    {
        var (_, registration) = await _service.RegisterAsync(MachineTestData.Registration("web-01", "Production"));

        await using var db = _database.CreateDbContext();
        var stored = await db.Machines.Where(m => m.Id == registration!.MachineId).Select(m => m.AgentTokenHash).SingleAsync();
        Assert.Equal(AgentToken.HashOf(registration!.Token), stored);
        Assert.Equal(64, stored!.Length);
        Assert.Equal(43, registration.Token.Length);
    }

    [Fact]
    public async Task Each_registration_gets_its_own_token()
    {
        var (_, first) = await _service.RegisterAsync(MachineTestData.Registration("web-01", "Production"));
        var (_, second) = await _service.RegisterAsync(MachineTestData.Registration("web-02", "Production"));

        Assert.NotEqual(first!.Token, second!.Token);
    }
}
