using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Enrolment;

public sealed class EnrolmentTokenServiceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = null!;
    private EnrolmentTokenService _service = null!;
    private DeploymentEnvironment _production = null!;
    private MachinePolicy _default = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(_time);
        _service = _database.CreateTokenService(_time);
        _production = await _database.AddEnvironmentAsync("Production");
        _default = await _database.AddPolicyAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Creating_answers_the_secret_once_and_stores_only_its_sha256_and_a_hint()
    {
        var created = await _service.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [_production.Id], [_default.Id]));

        await using var db = _database.CreateDbContext();
        var stored = await db.EnrolmentTokens.SingleAsync();
        Assert.Matches("^ENROL-[A-Z2-7]{32}$", created.Secret);
        Assert.Equal(EnrolmentTokenService.HashOf(created.Secret), stored.SecretHash);
        Assert.Equal(created.Secret[..10], stored.Hint);
        Assert.Equal(created.Secret[..10], created.Token.Hint);
        Assert.DoesNotContain(created.Secret, stored.SecretHash);
    }

    [Fact]
    public async Task A_new_token_expires_after_what_it_is_valid_for_and_is_active_until_then()
    {
        var input = EnrolmentTestData.Input("web fleet", [_production.Id], [_default.Id], maxUses: 3);
        input.ValidFor = TimeSpan.FromDays(7);

        var created = await _service.CreateTokenAsync(input);
        _time.Advance(TimeSpan.FromDays(7));
        var later = await _service.GetAsync(created.Token.Id);

        Assert.Equal((_time.GetUtcNow(), EnrolmentTokenState.Active, 0, 3), (created.Token.ExpiresAt, created.Token.State, created.Token.Uses, created.Token.MaxUses));
        Assert.Equal(EnrolmentTokenState.Expired, later!.State);
    }

    [Fact]
    public async Task Creating_records_EnrolmentTokenCreated_with_its_scope()
    {
        var created = await _service.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [_production.Id], [_default.Id], ["web", "api"], 5));

        var (category, message, _) = Assert.Single(await _database.TokenEventsAsync(created.Token.Id));
        Assert.Equal(EventCategories.EnrolmentTokenCreated, category);
        Assert.Equal("Enrolment token 'web fleet' was created: environments Production, roles api, web, policies Default Machine Policy, " +
                     "expires 2027-01-03 12:00 UTC, at most 5 uses", message);
    }

    [Fact]
    public async Task Unknown_environment_and_policy_ids_are_named_beside_their_fields()
    {
        var (result, created) = await _service.CreateAsync(EnrolmentTestData.Input("web fleet", [_production.Id, 98], [99]));

        Assert.Null(created);
        Assert.Equal(SaveStatus.Invalid, result.Status);
        Assert.Equal(["Unknown environments: 98."], result.Errors![nameof(EnrolmentTokenInput.EnvironmentIds)]);
        Assert.Equal(["Unknown machine policies: 99."], result.Errors[nameof(EnrolmentTokenInput.PolicyIds)]);
    }

    [Fact]
    public async Task A_name_taken_by_another_token_is_a_conflict_beside_Name()
    {
        await _service.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [_production.Id], [_default.Id]));

        var (result, _) = await _service.CreateAsync(EnrolmentTestData.Input("WEB FLEET", [_production.Id], [_default.Id]));

        Assert.Equal(SaveStatus.Conflict, result.Status);
        Assert.Equal(["An enrolment token named 'WEB FLEET' already exists."], result.Errors!["Name"]);
    }

    [Fact]
    public async Task The_list_is_newest_first_with_scope_and_never_a_secret()
    {
        var staging = await _database.AddEnvironmentAsync("Staging", 1);
        await _service.CreateTokenAsync(EnrolmentTestData.Input("old", [_production.Id], [_default.Id]));
        await _service.CreateTokenAsync(EnrolmentTestData.Input("new", [staging.Id, _production.Id], [_default.Id], ["worker", "api"]));

        var list = await _service.ListAsync();

        Assert.Equal(["new", "old"], list.Select(t => t.Name));
        Assert.Equal(["Production", "Staging"], list[0].Environments.Select(e => e.Name));
        Assert.Equal(["api", "worker"], list[0].Roles);
        Assert.Equal([MachinePolicy.DefaultName], list[0].Policies.Select(p => p.Name));
    }

    [Fact]
    public async Task Revoking_records_EnrolmentTokenRevoked_once_and_shows_the_token_revoked()
    {
        var created = await _service.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [_production.Id], [_default.Id]));

        var (first, revoked) = await _service.RevokeAsync(created.Token.Id);
        var (second, _) = await _service.RevokeAsync(created.Token.Id);

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal((EnrolmentTokenState.Revoked, _time.GetUtcNow()), (revoked!.State, revoked.RevokedAt));
        Assert.Equal([EventCategories.EnrolmentTokenCreated, EventCategories.EnrolmentTokenRevoked],
            (await _database.TokenEventsAsync(created.Token.Id)).Select(e => e.Category));
    }

    [Fact]
    public async Task Revoking_a_token_that_does_not_exist_is_not_found()
    {
        var (result, _) = await _service.RevokeAsync(42);

        Assert.Equal((SaveStatus.NotFound, "Enrolment token 42 does not exist."), (result.Status, result.Message));
    }

    [Fact]
    public async Task Deleting_an_environment_takes_it_out_of_the_tokens_that_allow_it()
    {
        var staging = await _database.AddEnvironmentAsync("Staging", 1);
        var created = await _service.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [_production.Id, staging.Id], [_default.Id]));

        var deleted = await new EnvironmentService(_database, new EnvironmentInputValidator(), CurrentAccess.For(Access.System)).DeleteAsync(staging.Id);

        Assert.True(deleted.Succeeded, deleted.Message);
        Assert.Equal(["Production"], (await _service.GetAsync(created.Token.Id))!.Environments.Select(e => e.Name));
    }
}
