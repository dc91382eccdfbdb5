using AutoDeploy.Domain.Triggers;
using MudBlazor;

namespace AutoDeploy.Web.Components.Pages.Triggers;

/// <summary>How a decision of the engine reads in a table: a label per kind, coloured by whether someone should look.</summary>
public static class DecisionDisplay
{
    public static string Label(string? kind) => kind switch
    {
        nameof(DecisionKind.Queued) => "Queued",
        nameof(DecisionKind.AlreadyInstalled) => "Already installed",
        nameof(DecisionKind.AlreadyPending) => "Already pending",
        nameof(DecisionKind.WaitingForDeployment) => "Waiting",
        nameof(DecisionKind.NoRelease) => "No release",
        nameof(DecisionKind.NoMatchingStep) => "No step for its roles",
        nameof(DecisionKind.RetryScheduled) => "Retry scheduled",
        nameof(DecisionKind.Blocked) => "Blocked",
        nameof(DecisionKind.NotApplicable) => "Not applicable",
        nameof(DecisionKind.LeaveHandled) => "Leave already handled",
        nameof(DecisionKind.NotDeployable) => "Machine not available",
        _ => "Not queued",
    };

    public static Color ColorOf(string? kind) => kind switch
    {
        nameof(DecisionKind.Queued) => Color.Success,
        nameof(DecisionKind.Blocked) => Color.Error,
        nameof(DecisionKind.NoRelease) or nameof(DecisionKind.NoMatchingStep) => Color.Warning,
        nameof(DecisionKind.RetryScheduled) or nameof(DecisionKind.WaitingForDeployment) => Color.Info,
        _ => Color.Default,
    };
}
