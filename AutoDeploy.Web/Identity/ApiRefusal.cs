using Microsoft.AspNetCore.Diagnostics;

namespace AutoDeploy.Web.Identity;

/// <summary>Scripts (the REST API and the SignalR hubs) are refused with a bare 401/403, never the sign-in page.</summary>
public static class ApiRefusal
{
    /// <summary>A request of the REST API or a hub, also while the status-code pages re-execute it under another path.</summary>
    public static bool IsApi(HttpContext context)
    {
        var path = context.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath is { } original ? new PathString(original) : context.Request.Path;
        return path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs");
    }

    /// <summary>Answers with the bare status: not re-executed into an HTML page, nor redirected to sign-in.</summary>
    public static void Send(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
    }
}
