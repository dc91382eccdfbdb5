using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AutoDeploy.Web.Api;

/// <summary>
/// A request the server could not read (a parameter the binder refused, malformed JSON, a body over the size limit)
/// answers with the exception's own status (400, 413, 415) and its message, which names the parameter. Anything else
/// is left to the default handler: a 500 problem without the exception's text.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || !ApiRefusal.IsApi(context))
        {
            return false;
        }
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Detail = ReasonOf(bad) },
        });
    }

    // The binder's messages say which parameter and where ("Failed to read parameter "int take" from the query string");
    // a JSON reader's inner message says where in the body.
    private static string ReasonOf(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
}
