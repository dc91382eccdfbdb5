using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// Scripts (the REST API and the SignalR hubs) are refused with 401/403 problem details (written by Api/ApiProblems),
/// never the sign-in page.
/// </summary>
public static class ApiRefusal
{
    /// <summary>The key in <see cref="HttpContext.Items"/> of why credentials were refused, which the 401's problem tells.</summary>
    public const string ReasonItem = "AutoDeploy.RefusalReason";

    /// <summary>A request of the REST API or a hub, also while the status-code pages re-execute it under another path.</summary>
    public static bool IsApi(HttpContext context)
    {
        var path = context.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath is { } original ? new PathString(original) : context.Request.Path;
        return path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs");
    }

    /// <summary>
    /// Sets the status, and for a 401 the scheme a script should use (<c>WWW-Authenticate</c>) and why the credentials
    /// it sent were refused, if it sent any; the API's status-code pages write the problem.
    /// </summary>
    public static void Send(HttpContext context, int status, string? reason = null)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = $"{ApiKeyAuthenticationHandler.SchemeName} header=\"{ApiKey.HeaderName}\"";
        }
        if (reason is not null)
        {
            context.Items[ReasonItem] = reason;
        }
    }
}
