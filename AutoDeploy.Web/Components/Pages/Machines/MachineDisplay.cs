using AutoDeploy.Domain.Machines;
using MudBlazor;

namespace AutoDeploy.Web.Components.Pages.Machines;

/// <summary>How machine screens show health and times.</summary>
public static class MachineDisplay
{
    public static string Label(MachineHealthStatus status) => status switch
    {
        MachineHealthStatus.HasWarnings => "Has warnings",
        _ => status.ToString(),
    };

    public static Color ColorOf(MachineHealthStatus status) => status switch
    {
        MachineHealthStatus.Healthy => Color.Success,
        MachineHealthStatus.HasWarnings => Color.Warning,
        MachineHealthStatus.Unhealthy => Color.Error,
        MachineHealthStatus.Unavailable => Color.Dark,
        _ => Color.Default,
    };
}
