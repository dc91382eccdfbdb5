using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Tests.Triggers;

/// <summary>The event category of a decision says whether the engine queued, needs someone, or had nothing to do.</summary>
public sealed class DecisionCategoryTests
{
    [Theory]
    [InlineData(DecisionKind.Queued, EventCategories.AutoDeployTriggered)]
    [InlineData(DecisionKind.Blocked, EventCategories.AutoDeployBlocked)]
    [InlineData(DecisionKind.NoRelease, EventCategories.AutoDeployBlocked)]
    [InlineData(DecisionKind.NoMatchingStep, EventCategories.AutoDeployBlocked)]
    [InlineData(DecisionKind.AlreadyInstalled, EventCategories.AutoDeployNoAction)]
    [InlineData(DecisionKind.AlreadyPending, EventCategories.AutoDeployNoAction)]
    [InlineData(DecisionKind.WaitingForDeployment, EventCategories.AutoDeployNoAction)]
    [InlineData(DecisionKind.RetryScheduled, EventCategories.AutoDeployNoAction)]
    [InlineData(DecisionKind.LeaveHandled, EventCategories.AutoDeployNoAction)]
    [InlineData(DecisionKind.NotApplicable, EventCategories.AutoDeployNotApplicable)]
    [InlineData(DecisionKind.NotDeployable, EventCategories.AutoDeployNotApplicable)]
    public void Each_kind_is_recorded_under_the_category_that_says_whether_someone_should_look(DecisionKind kind, string category)
    {
        var decision = new AutoDeployDecision(kind, 1, "web-01", 2, "Web servers", 3, 4, null, null, null, [], "why");

        Assert.Equal(category, decision.Category);
    }

    [Fact]
    public void Every_kind_is_covered()
    {
        Assert.Equal(Enum.GetValues<DecisionKind>().Length, typeof(DecisionCategoryTests).GetMethod(
            nameof(Each_kind_is_recorded_under_the_category_that_says_whether_someone_should_look))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Length);
    }
}
