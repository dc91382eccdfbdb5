using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Policies;

namespace AutoDeploy.Tests.Enrolment;

public sealed class EnrolmentTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeploymentEnvironment Test = Environment(1, "Test");
    private static readonly DeploymentEnvironment Staging = Environment(2, "Staging");
    private static readonly MachinePolicy Default = Policy(1, "Default");
    private static readonly MachinePolicy Spot = Policy(2, "Spot instances");

    [Fact]
    public void Creating_a_token_is_one_event_that_says_what_it_allows()
    {
        var token = Token(maxUses: 5);

        var created = Assert.Single(token.DomainEvents);
        Assert.Equal(EventCategories.EnrolmentTokenCreated, created.Category);
        Assert.Equal("Enrolment token 'web fleet' was created: environments Test, Staging, roles api, web, policies Spot instances, " +
                     "expires 2026-12-11 12:00 UTC, at most 5 uses", created.Message);
    }

    [Theory]
    [InlineData(new[] { "Test" }, new[] { "web" }, null)]
    [InlineData(new[] { "test", "STAGING" }, new[] { "web", "api" }, null)]
    [InlineData(new[] { "Production" }, new[] { "web" }, "does not allow environment 'Production'; it allows Test, Staging.")]
    [InlineData(new[] { "Test" }, new[] { "db" }, "does not allow role 'db'; it allows api, web.")]
    public void A_registration_within_the_token_s_environments_and_roles_is_allowed_and_one_outside_says_why_not(
        string[] environments, string[] roles, string? refusal)
    {
        var token = Token();

        var reason = token.ScopeRefusal(environments, roles, Spot);

        if (refusal is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.Equal($"The enrolment token 'web fleet' {refusal}", reason);
        }
    }

    [Fact]
    public void A_policy_the_token_does_not_allow_is_refused()
    {
        var reason = Token().ScopeRefusal(["Test"], ["web"], Default);

        Assert.Equal("The enrolment token 'web fleet' does not allow machine policy 'Default'; it allows Spot instances.", reason);
    }

    [Fact]
    public void A_token_works_until_it_expires()
    {
        var token = Token();

        Assert.Equal((null, "The enrolment token 'web fleet' expired at 2026-12-11 12:00 UTC."),
            (token.Refusal(Now.AddDays(7).AddTicks(-1)), token.Refusal(Now.AddDays(7))));
    }

    [Fact]
    public void A_token_with_a_number_of_uses_is_used_up_after_them_and_each_use_is_an_event_linking_the_machine()
    {
        var token = Token(maxUses: 2);
        token.ClearDomainEvents();

        token.Use(7, "web-01", Now);
        var afterOne = token.Refusal(Now);
        token.Use(8, "web-02", Now.AddMinutes(1));

        Assert.Null(afterOne);
        Assert.Equal("The enrolment token 'web fleet' has been used 2 times, all it allows.", token.Refusal(Now));
        Assert.Equal((2, "web-02", Now.AddMinutes(1)), (token.Uses, token.LastUsedBy, token.LastUsedAt));
        Assert.Equal(["Machine 'web-01' registered with enrolment token 'web fleet' (use 1 of 2)",
            "Machine 'web-02' registered with enrolment token 'web fleet' (use 2 of 2)"], token.DomainEvents.Select(e => e.Message));
        Assert.Equal(8, token.DomainEvents.Last().Links!.MachineId);
    }

    [Fact]
    public void A_revoked_token_is_refused_and_revoking_again_changes_nothing()
    {
        var token = Token();
        token.ClearDomainEvents();

        token.Revoke(Now.AddHours(1));
        token.Revoke(Now.AddHours(2));

        Assert.Equal("The enrolment token 'web fleet' was revoked at 2026-12-04 13:00 UTC.", token.Refusal(Now.AddHours(3)));
        Assert.Equal(EventCategories.EnrolmentTokenRevoked, Assert.Single(token.DomainEvents).Category);
    }

    [Fact]
    public void A_named_policy_is_chosen_case_insensitively_if_the_token_allows_it()
    {
        var token = Token(policies: [Default, Spot]);

        Assert.Equal((Spot, null), token.ChoosePolicy(" SPOT INSTANCES ", Default));
        Assert.Equal((null, "The enrolment token 'web fleet' does not allow machine policy 'Nightly'; it allows Default, Spot instances."),
            token.ChoosePolicy("Nightly", Default));
    }

    [Fact]
    public void No_policy_named_gets_the_token_s_only_policy_even_when_it_is_not_the_default()
    {
        Assert.Equal((Spot, null), Token(policies: [Spot]).ChoosePolicy(null, Default));
    }

    [Fact]
    public void No_policy_named_gets_the_default_policy_among_several_the_token_allows()
    {
        Assert.Equal((Default, null), Token(policies: [Spot, Default]).ChoosePolicy(" ", Default));
    }

    [Fact]
    public void No_policy_named_among_several_without_the_default_says_to_name_one()
    {
        var nightly = Policy(3, "Nightly");

        var (policy, refusal) = Token(policies: [Spot, nightly]).ChoosePolicy(null, Default);

        Assert.Null(policy);
        Assert.Equal("The enrolment token 'web fleet' allows several machine policies and not the default one: name one of Spot instances, Nightly.",
            refusal);
    }

    private static EnrolmentToken Token(int? maxUses = null, MachinePolicy[]? policies = null) =>
        EnrolmentToken.Create(" web fleet ", "hash", "ENROL-abcd", [Test, Staging], ["web", "api"], policies ?? [Spot], Now.AddDays(7), maxUses, Now);

    private static DeploymentEnvironment Environment(int id, string name)
    {
        var environment = DeploymentEnvironment.Create(name, null, id);
        environment.Id = id;
        return environment;
    }

    private static MachinePolicy Policy(int id, string name)
    {
        var policy = new MachinePolicy { Id = id };
        policy.Rename(name);
        return policy;
    }
}
