using AutoDeploy.Domain.Fleet;
using MudBlazor;

namespace AutoDeploy.Web.Components.Pages.Fleet;

/// <summary>How a drift state reads on the fleet screen: a label, and a colour by how much someone should look.</summary>
public static class FleetDisplay
{
    public static string Label(DriftState state) => state switch
    {
        DriftState.NotCovered => "Not covered",
        _ => state.ToString(),
    };

    public static Color ColorOf(DriftState state) => state switch
    {
        DriftState.Current => Color.Success,
        DriftState.Pending or DriftState.Waiting => Color.Info,
        DriftState.Behind => Color.Warning,
        DriftState.Blocked => Color.Error,
        _ => Color.Default,
    };

    public static string Describe(ReleaseSource? source) => source switch
    {
        ReleaseSource.Override => "override",
        ReleaseSource.LatestSuccessful => "latest successful",
        _ => "",
    };
}
