using AutoDeploy.Web.Components.Pages.Policies;

namespace AutoDeploy.Tests.MachinePolicies;

public sealed class DurationsTests
{
    [Theory]
    [InlineData(0, 0, 5, 5, DurationUnit.Minutes)]
    [InlineData(0, 1, 30, 90, DurationUnit.Minutes)]
    [InlineData(0, 2, 0, 2, DurationUnit.Hours)]
    [InlineData(7, 0, 0, 7, DurationUnit.Days)]
    public void Split_uses_the_largest_unit_the_span_is_a_whole_number_of(int days, int hours, int minutes, int amount, DurationUnit unit) =>
        Assert.Equal(((decimal)amount, unit), Durations.Split(new TimeSpan(days, hours, minutes, 0)));

    [Fact]
    public void Split_keeps_the_chosen_unit_for_zero() =>
        Assert.Equal((0m, DurationUnit.Hours), Durations.Split(TimeSpan.Zero, DurationUnit.Hours));

    [Fact]
    public void Join_of_an_amount_too_large_for_a_TimeSpan_is_its_largest_value() =>
        Assert.Equal(TimeSpan.MaxValue, Durations.Join(1e20m, DurationUnit.Days));

    [Theory]
    [InlineData(1, "1 minute")]
    [InlineData(120, "2 hours")]
    [InlineData(1440, "1 day")]
    public void Describe_reads_like_prose(int minutes, string expected) =>
        Assert.Equal(expected, Durations.Describe(TimeSpan.FromMinutes(minutes)));
}
