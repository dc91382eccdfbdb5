using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Enrolment;

/// <summary>A machine registers with an enrolment token: the same tests on a SQLite file and on PostgreSQL.</summary>
public abstract class TokenRegistrationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    protected readonly FakeTimeProvider Time = new(Start);
    private IDbContextFactory<AutoDeployDbContext> _database = null!;
    private EnrolmentTokenService _tokens = null!;
    private MachineRegistrationService _registration = null!;
    private DeploymentEnvironment _production = null!;
    private DeploymentEnvironment _test = null!;
    private MachinePolicy _default = null!;
    private MachinePolicy _spot = null!;

    protected abstract Task<IDbContextFactory<AutoDeployDbContext>> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        _tokens = _database.CreateTokenService(Time);
        _registration = _database.CreateRegistrationService(Time);
        _production = await _database.AddEnvironmentAsync("Production");
        _test = await _database.AddEnvironmentAsync("Test", 1);
        _default = await _database.AddPolicyAsync();
        _spot = await _database.AddPolicyAsync("Spot instances");
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_registration_within_the_scope_creates_the_machine_and_counts_the_use_with_an_event_linking_both()
    {
        var token = await CreateAsync(maxUses: 2);

        var (result, registration) = await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("web-01", "production"));

        Assert.True(result.Succeeded, result.Message);
        var summary = (await _tokens.GetAsync(token.Token.Id))!;
        Assert.Equal((1, Start, "web-01"), (summary.Uses, summary.LastUsedAt, summary.LastUsedBy));
        var used = (await _database.TokenEventsAsync(token.Token.Id)).Last();
        Assert.Equal((EventCategories.EnrolmentTokenUsed, "Machine 'web-01' registered with enrolment token 'web fleet' (use 1 of 2)", registration!.MachineId),
            used);
        Assert.Equal([EventCategories.MachineAdded, EventCategories.EnrolmentTokenUsed], await _database.MachineEventCategoriesAsync(registration.MachineId));
    }

    [Fact]
    public async Task A_secret_that_is_no_token_s_is_refused_as_not_a_valid_enrolment_token()
    {
        await CreateAsync();

        var (result, _) = await _registration.RegisterWithTokenAsync("ENROL-NOTATOKEN", EnrolmentTestData.Registration("web-01", "Production"));

        Assert.Equal((SaveStatus.Unauthorized, "That is not a valid enrolment token."), (result.Status, result.Message));
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_when_it_expired_and_nothing_is_written()
    {
        var token = await CreateAsync(validFor: TimeSpan.FromHours(1));
        var events = await _database.EventCountAsync();
        Time.Advance(TimeSpan.FromHours(1));

        var (result, _) = await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("web-01", "Production"));

        Assert.Equal((SaveStatus.Unauthorized, "The enrolment token 'web fleet' expired at 2026-12-04 13:00 UTC."), (result.Status, result.Message));
        Assert.Equal(events, await _database.EventCountAsync());
    }

    [Fact]
    public async Task A_token_works_until_the_moment_it_expires()
    {
        var token = await CreateAsync(validFor: TimeSpan.FromHours(1));
        Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));

        var (result, _) = await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("web-01", "Production"));

        Assert.True(result.Succeeded, result.Message);
    }

    [Fact]
    public async Task A_used_up_token_is_refused_with_its_uses()
    {
        var token = await CreateAsync(maxUses: 1);
        await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("web-01", "Production"));

        var (result, _) = await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("web-02", "Production"));

        Assert.Equal((SaveStatus.Unauthorized, "The enrolment token 'web fleet' has been used 1 time, all it allows."), (result.Status, result.Message));
    }

    [Fact]
    public async Task A_revoked_token_is_refused_with_when_it_was_revoked()
    {
        var token = await CreateAsync();
        Time.Advance(TimeSpan.FromMinutes(5));
        await _tokens.RevokeAsync(token.Token.Id);

        var (result, _) = await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("web-01", "Production"));

        Assert.Equal((SaveStatus.Unauthorized, "The enrolment token 'web fleet' was revoked at 2026-12-04 12:05 UTC."), (result.Status, result.Message));
    }

    [Theory]
    [InlineData("Test", "web", null, "does not allow environment 'Test'; it allows Production.")]
    [InlineData("Production", "db", null, "does not allow role 'db'; it allows api, web.")]
    [InlineData("Production", "web", "Default Machine Policy", "does not allow machine policy 'Default Machine Policy'; it allows Spot instances.")]
    public async Task A_registration_outside_the_scope_is_forbidden_saying_why_and_uses_nothing(
        string environment, string role, string? policy, string refusal)
    {
        var token = await CreateAsync(roles: ["web", "api"], policies: [_spot]);

        var (result, _) = await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("web-01", environment, [role], policy));

        Assert.Equal((SaveStatus.Forbidden, $"The enrolment token 'web fleet' {refusal}"), (result.Status, result.Message));
        Assert.Equal(0, (await _tokens.GetAsync(token.Token.Id))!.Uses);
        Assert.False(await AnyMachineAsync());
    }

    [Fact]
    public async Task No_policy_named_gets_the_token_s_only_policy()
    {
        var token = await CreateAsync(policies: [_spot]);

        var (_, registration) = await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("web-01", "Production"));

        Assert.Equal(_spot.Id, await PolicyOfAsync(registration!.MachineId));
    }

    [Fact]
    public async Task No_policy_named_among_several_gets_the_default_policy_when_the_token_allows_it()
    {
        var token = await CreateAsync(policies: [_spot, _default]);

        var (_, registration) = await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("web-01", "Production"));

        Assert.Equal(_default.Id, await PolicyOfAsync(registration!.MachineId));
    }

    [Fact]
    public async Task A_registration_refused_for_its_name_does_not_use_the_token()
    {
        var token = await CreateAsync(maxUses: 1);
        await _database.AddMachineAsync("web-01", [_production], _default);

        var (result, _) = await _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration("WEB-01", "Production"));

        Assert.Equal(SaveStatus.Conflict, result.Status);
        Assert.Equal(0, (await _tokens.GetAsync(token.Token.Id))!.Uses);
    }

    [Fact]
    public async Task Machines_racing_for_the_last_use_of_a_token_register_one_only()
    {
        var token = await CreateAsync(maxUses: 1);

        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() =>
            _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration($"web-{i:00}", "Production")))));

        Assert.Single(results, r => r.Result.Succeeded);
        Assert.All(results.Where(r => !r.Result.Succeeded), r => Assert.Equal(
            (SaveStatus.Unauthorized, "The enrolment token 'web fleet' has been used 1 time, all it allows."), (r.Result.Status, r.Result.Message)));
        Assert.Equal(1, (await _tokens.GetAsync(token.Token.Id))!.Uses);
        await using var db = await _database.CreateDbContextAsync();
        Assert.Equal(1, await db.Machines.CountAsync());
    }

    [Fact]
    public async Task Machines_registering_at_once_with_a_token_of_many_uses_are_each_counted()
    {
        var token = await CreateAsync(maxUses: 10);

        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() =>
            _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration($"web-{i:00}", "Production")))));

        Assert.All(results, r => Assert.True(r.Result.Succeeded, r.Result.Message));
        Assert.Equal(6, (await _tokens.GetAsync(token.Token.Id))!.Uses);
        Assert.Equal(6, (await _database.TokenEventsAsync(token.Token.Id)).Count(e => e.Category == EventCategories.EnrolmentTokenUsed));
    }

    [Fact]
    public async Task A_revoke_amid_registrations_succeeds_and_every_registration_either_counts_or_is_refused_as_revoked()
    {
        var token = await CreateAsync();

        var registering = Enumerable.Range(1, 6).Select(i => Task.Run(() =>
            _registration.RegisterWithTokenAsync(token.Secret, EnrolmentTestData.Registration($"web-{i:00}", "Production")))).ToList();
        var (revoked, _) = await Task.Run(() => _tokens.RevokeAsync(token.Token.Id));
        var results = await Task.WhenAll(registering);

        Assert.True(revoked.Succeeded, revoked.Message);
        Assert.All(results.Where(r => !r.Result.Succeeded), r => Assert.StartsWith("The enrolment token 'web fleet' was revoked at", r.Result.Message));
        Assert.Equal(results.Count(r => r.Result.Succeeded), (await _tokens.GetAsync(token.Token.Id))!.Uses);
    }

    private Task<NewEnrolmentToken> CreateAsync(
        int? maxUses = null, string[]? roles = null, MachinePolicy[]? policies = null, TimeSpan? validFor = null)
    {
        var input = EnrolmentTestData.Input("web fleet", [_production.Id], (policies ?? [_default]).Select(p => p.Id).ToArray(), roles, maxUses);
        input.ValidFor = validFor ?? input.ValidFor;
        return _tokens.CreateTokenAsync(input);
    }

    private async Task<bool> AnyMachineAsync()
    {
        await using var db = await _database.CreateDbContextAsync();
        return await db.Machines.AnyAsync();
    }

    private async Task<int> PolicyOfAsync(int machineId)
    {
        await using var db = await _database.CreateDbContextAsync();
        return await db.Machines.Where(m => m.Id == machineId).Select(m => m.MachinePolicyId).SingleAsync();
    }
}

public sealed class SqliteTokenRegistrationTests : TokenRegistrationTests
{
    private SqliteDatabase? _sqlite;

    protected override async Task<IDbContextFactory<AutoDeployDbContext>> CreateDatabaseAsync() =>
        _sqlite = await SqliteDatabase.CreateAsync(Time);

    public override async Task DisposeAsync() => await _sqlite!.DisposeAsync();
}

[Collection("postgres")]
public sealed class PostgresTokenRegistrationTests(PostgresServer server) : TokenRegistrationTests
{
    protected override async Task<IDbContextFactory<AutoDeployDbContext>> CreateDatabaseAsync() =>
        new PostgresFactory(await server.CreateMigratedDatabaseAsync(), Time);

    private sealed class PostgresFactory(string connectionString, TimeProvider time) : IDbContextFactory<AutoDeployDbContext>
    {
        public AutoDeployDbContext CreateDbContext() =>
            new PostgresAutoDeployDbContext(new DbContextOptionsBuilder<PostgresAutoDeployDbContext>()
                .UseNpgsql(connectionString).UseAutoDeploy(time).Options);
    }
}
