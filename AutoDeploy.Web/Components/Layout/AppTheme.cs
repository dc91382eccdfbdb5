using MudBlazor;

namespace AutoDeploy.Web.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1565c0", AppbarBackground = "#0d3c61" },
    };
}
