using AutoDeploy.Domain.Policies;
using static AutoDeploy.Tests.MachinePolicies.PolicyTestData;

namespace AutoDeploy.Tests.MachinePolicies;

public sealed class MachinePolicyInputValidatorTests
{
    private const string IntervalMessage = "The health check interval must be between 1 minute and 7 days.";
    private readonly MachinePolicyInputValidator _validator = new();

    [Fact]
    public void A_complete_input_is_valid() => Assert.Empty(Messages(Input()));

    [Fact]
    public void An_empty_name_is_required() =>
        Assert.Equal(["Name is required."], Messages(Input(" "), nameof(MachinePolicyInput.Name)));

    [Fact]
    public void A_name_longer_than_200_characters_is_refused() =>
        Assert.Equal(["Name must be at most 200 characters."], Messages(Input(new string('a', 201)), nameof(MachinePolicyInput.Name)));

    [Fact]
    public void A_description_longer_than_2000_characters_is_refused()
    {
        var input = Input();
        input.Description = new string('d', 2001);

        Assert.Equal(["Description must be at most 2000 characters."], Messages(input, nameof(MachinePolicyInput.Description)));
    }

    [Theory]
    [InlineData(0, 0, 59)]
    [InlineData(0, 0, 0)]
    [InlineData(-1, 0, 0)]
    [InlineData(7, 0, 1)]
    [InlineData(30, 0, 0)]
    public void An_interval_outside_1_minute_to_7_days_is_refused(int days, int hours, int seconds)
    {
        var input = Input();
        input.HealthCheckInterval = new TimeSpan(days, hours, 0, seconds);

        Assert.Equal([IntervalMessage], Messages(input, nameof(MachinePolicyInput.HealthCheckInterval)));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, 0)]
    public void An_interval_of_exactly_1_minute_or_7_days_is_valid(int days, int minutes)
    {
        var input = Input();
        input.HealthCheckInterval = new TimeSpan(days, 0, minutes, 0);

        Assert.Empty(Messages(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    public void A_RunScript_health_check_without_a_script_is_refused(string? script)
    {
        var input = Input();
        input.HealthCheckType = HealthCheckType.RunScript;
        input.HealthCheckScript = script;

        Assert.Equal(["A RunScript health check needs a script."], Messages(input, nameof(MachinePolicyInput.HealthCheckScript)));
    }

    [Fact]
    public void A_ConnectivityOnly_health_check_needs_no_script()
    {
        var input = Input();
        input.HealthCheckType = HealthCheckType.ConnectivityOnly;
        input.HealthCheckScript = null;

        Assert.Empty(Messages(input));
    }

    [Fact]
    public void A_script_longer_than_100000_characters_is_refused()
    {
        var input = Input();
        input.HealthCheckType = HealthCheckType.RunScript;
        input.HealthCheckScript = new string('#', 100_001);

        Assert.Equal(["The health check script must be at most 100,000 characters."],
            Messages(input, nameof(MachinePolicyInput.HealthCheckScript)));
    }

    [Fact]
    public void A_negative_clean_up_span_is_refused()
    {
        var input = Input();
        input.DeleteUnavailableAfter = TimeSpan.FromMinutes(-1);

        Assert.Equal(["The time before an unavailable machine is deleted cannot be negative."],
            Messages(input, nameof(MachinePolicyInput.DeleteUnavailableAfter)));
    }

    [Fact]
    public void A_clean_up_span_over_365_days_is_refused()
    {
        var input = Input();
        input.DeleteUnavailableAfter = TimeSpan.FromDays(365) + TimeSpan.FromSeconds(1);

        Assert.Equal(["The time before an unavailable machine is deleted must be at most 365 days."],
            Messages(input, nameof(MachinePolicyInput.DeleteUnavailableAfter)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(365)]
    public void A_clean_up_span_of_0_or_365_days_is_valid(int days)
    {
        var input = Input();
        input.DeleteUnavailableAfter = TimeSpan.FromDays(days);

        Assert.Empty(Messages(input));
    }

    [Fact]
    public void An_undefined_health_check_type_is_refused_naming_the_valid_ones()
    {
        var input = Input();
        input.HealthCheckType = (HealthCheckType)7;

        Assert.Equal(["The health check type must be one of: ConnectivityOnly, RunScript."],
            Messages(input, nameof(MachinePolicyInput.HealthCheckType)));
    }

    [Fact]
    public void An_undefined_connectivity_behavior_is_refused_naming_the_valid_ones()
    {
        var input = Input();
        input.ConnectivityBehavior = (ConnectivityBehavior)7;

        Assert.Equal(["The connectivity behavior must be one of: ExpectedToBeOnline, MayBeOfflineAndCanBeSkipped."],
            Messages(input, nameof(MachinePolicyInput.ConnectivityBehavior)));
    }

    [Fact]
    public void An_undefined_clean_up_behavior_is_refused_naming_the_valid_ones()
    {
        var input = Input();
        input.CleanupBehavior = (CleanupBehavior)(-1);

        Assert.Equal(["The clean-up behavior must be one of: DoNotDelete, DeleteUnavailableMachines."],
            Messages(input, nameof(MachinePolicyInput.CleanupBehavior)));
    }

    [Fact]
    public void An_undefined_agent_version_check_is_refused_naming_the_valid_ones()
    {
        var input = Input();
        input.AgentVersionCheck = (AgentVersionCheck)3;

        Assert.Equal(["The agent version check must be one of: Warn, Ignore, Automatically."],
            Messages(input, nameof(MachinePolicyInput.AgentVersionCheck)));
    }

    /// <summary>Every message, or only those about <paramref name="property"/>.</summary>
    private string[] Messages(MachinePolicyInput input, string? property = null) =>
        [.. _validator.Validate(input).Errors.Where(e => property is null || e.PropertyName == property).Select(e => e.ErrorMessage)];
}
