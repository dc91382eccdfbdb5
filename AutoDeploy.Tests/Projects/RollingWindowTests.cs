using AutoDeploy.Domain.Projects;
using static AutoDeploy.Tests.Projects.ProjectTestData;

namespace AutoDeploy.Tests.Projects;

public sealed class RollingWindowTests
{
    private readonly ProjectInputValidator _validator = new();

    [Theory]
    [InlineData(3, 10, 3)]
    [InlineData(3, 2, 2)]
    [InlineData(1, 1000, 1)]
    public void A_count_is_that_many_machines_and_at_most_all_of_them(int count, int machines, int window) =>
        Assert.Equal(window, RollingWindow.Count(count).For(machines));

    [Theory]
    [InlineData(10, 1000, 100)]
    [InlineData(10, 25, 3)]
    [InlineData(50, 5, 3)]
    [InlineData(100, 7, 7)]
    [InlineData(1, 1, 1)]
    public void A_percentage_of_the_machines_rounds_up(int percent, int machines, int window) =>
        Assert.Equal(window, RollingWindow.Percent(percent).For(machines));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(10, 0)]
    public void A_window_is_at_least_one_machine(int percent, int machines) =>
        Assert.Equal(1, RollingWindow.Percent(percent).For(machines));

    [Fact]
    public void A_percentage_of_a_large_fleet_does_not_overflow() =>
        Assert.Equal(int.MaxValue / 2 + 1, RollingWindow.Percent(50).For(int.MaxValue));

    [Theory]
    [InlineData(1, false)]
    [InlineData(10_000, false)]
    [InlineData(1, true)]
    [InlineData(100, true)]
    public void Counts_from_1_to_10_000_and_percentages_from_1_to_100_are_valid(int size, bool percent) =>
        _validator.AssertValid(Input("Shop", Step("Deploy", "web") with { Window = new RollingWindow(size, percent) }));

    [Theory]
    [InlineData(0, false, "Step 2 'Deploy': a rolling window is 1 to 10,000 machines.")]
    [InlineData(10_001, false, "Step 2 'Deploy': a rolling window is 1 to 10,000 machines.")]
    [InlineData(0, true, "Step 2 'Deploy': a rolling window is 1% to 100% of the machines.")]
    [InlineData(101, true, "Step 2 'Deploy': a rolling window is 1% to 100% of the machines.")]
    public void A_window_out_of_range_is_refused_beside_the_window_field(int size, bool percent, string message)
    {
        var input = Input("Shop", Step("Migrate", "db"), Step("Deploy", "web") with { Window = new RollingWindow(size, percent) });

        Assert.Equal([message], _validator.MessagesFor(input, "Steps[1].Window"));
    }

    [Fact]
    public void A_step_without_a_window_runs_on_all_its_machines_at_once_and_is_valid()
    {
        var step = Step("Deploy", "web");

        _validator.AssertValid(Input("Shop", step));
        Assert.Null(step.Window);
    }
}
