using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;

namespace AutoDeploy.Tests.MachinePolicies;

public sealed class HealthRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_a_passing_check_is_Healthy()
    {
        var verdict = HealthRules.Evaluate(JobOutcome.Succeeded, 0, ["all good"], "1.0.0", "1.0.0", MachinePolicy.CreateDefault());

        Assert.Equal(MachineHealthStatus.Healthy, verdict.Status);
    }

    [Fact]
    public void Evaluate_a_warning_line_makes_a_passing_check_HasWarnings_with_its_text()
    {
        var verdict = HealthRules.Evaluate(JobOutcome.Succeeded, 0, ["checking", "##warning disk 91% full"], "1.0.0", "1.0.0",
            MachinePolicy.CreateDefault());

        Assert.Equal(new HealthVerdict(MachineHealthStatus.HasWarnings, "disk 91% full"), verdict);
    }

    [Theory]
    [InlineData(JobOutcome.Failed)]
    [InlineData(JobOutcome.TimedOut)]
    public void Evaluate_a_failed_or_hung_script_is_Unhealthy(JobOutcome outcome)
    {
        var verdict = HealthRules.Evaluate(outcome, 2, [], "1.0.0", "1.0.0", MachinePolicy.CreateDefault());

        Assert.Equal(MachineHealthStatus.Unhealthy, verdict.Status);
    }

    [Fact]
    public void Evaluate_names_the_exit_code_of_a_failed_script()
    {
        var verdict = HealthRules.Evaluate(JobOutcome.Failed, 2, [], "1.0.0", "1.0.0", MachinePolicy.CreateDefault());

        Assert.Contains("exit code 2", verdict.Summary);
    }

    [Fact]
    public void Evaluate_an_older_agent_warns_only_when_the_policy_says_so()
    {
        var warn = MachinePolicy.CreateDefault();
        var ignore = MachinePolicy.CreateDefault();
        ignore.AgentVersionCheck = AgentVersionCheck.Ignore;

        var warned = HealthRules.Evaluate(JobOutcome.Succeeded, 0, [], "0.9.0", "1.0.0", warn);
        var ignored = HealthRules.Evaluate(JobOutcome.Succeeded, 0, [], "0.9.0", "1.0.0", ignore);

        Assert.Equal(MachineHealthStatus.HasWarnings, warned.Status);
        Assert.Contains("0.9.0 is older than the server's 1.0.0", warned.Summary);
        Assert.Equal(MachineHealthStatus.Healthy, ignored.Status);
    }

    [Fact]
    public void Evaluate_an_older_agent_warns_on_a_policy_that_updates_it_until_it_has()
    {
        var automatically = MachinePolicy.CreateDefault();
        automatically.AgentVersionCheck = AgentVersionCheck.Automatically;

        var older = HealthRules.Evaluate(JobOutcome.Succeeded, 0, [], "0.9.0", "1.0.0", automatically);
        var updated = HealthRules.Evaluate(JobOutcome.Succeeded, 0, [], "1.0.0", "1.0.0", automatically);

        Assert.Equal(MachineHealthStatus.HasWarnings, older.Status);
        Assert.Equal(MachineHealthStatus.Healthy, updated.Status);
    }

    [Fact]
    public void IsUnresponsive_counts_from_the_last_contact_or_else_gives_a_new_machine_the_first_contact_grace()
    {
        var grace = TimeSpan.FromSeconds(30);
        var first = TimeSpan.FromMinutes(5);

        Assert.False(HealthRules.IsUnresponsive(Now.AddSeconds(-30), Now.AddDays(-1), Now, grace, first));
        Assert.True(HealthRules.IsUnresponsive(Now.AddSeconds(-31), Now.AddDays(-1), Now, grace, first));
        Assert.False(HealthRules.IsUnresponsive(null, Now.AddMinutes(-5), Now, grace, first));
        Assert.True(HealthRules.IsUnresponsive(null, Now.AddMinutes(-6), Now, grace, first));
    }

    [Fact]
    public void ShouldDelete_only_under_a_delete_policy_once_the_span_has_passed()
    {
        var policy = MachinePolicy.CreateDefault();
        policy.CleanupBehavior = CleanupBehavior.DeleteUnavailableMachines;
        policy.DeleteUnavailableAfter = TimeSpan.FromMinutes(5);
        var keep = MachinePolicy.CreateDefault();

        Assert.False(HealthRules.ShouldDelete(MachineHealthStatus.Unavailable, Now.AddMinutes(-4), policy, Now));
        Assert.True(HealthRules.ShouldDelete(MachineHealthStatus.Unavailable, Now.AddMinutes(-5), policy, Now));
        Assert.False(HealthRules.ShouldDelete(MachineHealthStatus.Unhealthy, Now.AddMinutes(-50), policy, Now));
        Assert.False(HealthRules.ShouldDelete(MachineHealthStatus.Unavailable, Now.AddMinutes(-50), keep, Now));
    }

    [Fact]
    public void ShouldDelete_with_a_zero_span_deletes_at_the_first_failed_check()
    {
        var policy = MachinePolicy.CreateDefault();
        policy.CleanupBehavior = CleanupBehavior.DeleteUnavailableMachines;
        policy.DeleteUnavailableAfter = TimeSpan.Zero;

        Assert.True(HealthRules.ShouldDelete(MachineHealthStatus.Unavailable, Now, policy, Now));
    }
}
