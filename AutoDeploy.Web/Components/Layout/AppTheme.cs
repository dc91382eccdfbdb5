using MudBlazor;

namespace AutoDeploy.Web.Components.Layout;

public static class AppTheme
{
    /// <summary>
    /// MudBlazor's light palette with its state colours darkened until white text on them, and they as text on white or on
    /// their own light tint (outlined chips), reach WCAG AA's 4.5:1 (the defaults: green 2.2:1, orange 2.15:1, red 3.7:1,
    /// blue 3.1:1, pink 3.3:1). The ratios: success 6.4, info 7.4, warning 6.5, error 6.6, secondary 7.0, disabled text
    /// 5.1 (the current breadcrumb is drawn in it).
    /// </summary>
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            AppbarBackground = "#0d3c61",
            Secondary = "#ad1457",
            Success = "#1b6e20",
            Info = "#01579b",
            Warning = "#9a4500",
            Error = "#b71c1c",
            TextDisabled = "#6e6e6e",
        },
    };
}
