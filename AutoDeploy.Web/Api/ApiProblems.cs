using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace AutoDeploy.Web.Api;

/// <summary>
/// Every error the API and the hubs answer is RFC 7807 problem details (<c>application/problem+json</c>) with a title, a
/// status and a detail that says what to do: the ones the endpoints return, and those the framework answers without a
/// body (401 and 403 from authentication, 404 for an unknown URL or an id that is not a number, 405, 415, a request the
/// binder could not read, a body over the limit (413), too many requests (429, from <see cref="ApiLimits"/>), and 500, which never carries the exception outside Development).
/// </summary>
public static class ApiProblems
{
    public static IServiceCollection AddApiProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context => Describe(context.HttpContext, context.ProblemDetails));
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // A request the binder cannot read (malformed JSON, take=abc) throws where the binder can, so that the handler
        // above can say which parameter it was instead of an empty 400; where it does not, BindingFailures says it.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>Problem details for the API's own path (and the hubs'); pages keep their HTML error and not-found pages.</summary>
    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app) =>
        app.UseWhen(ApiRefusal.IsApi, api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });

    private static void Describe(HttpContext context, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        if (problem.Detail is not null)
        {
            return;
        }
        var request = context.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status400BadRequest => BindingFailures.Describe(context),
            StatusCodes.Status401Unauthorized => context.Items[ApiRefusal.ReasonItem] as string
                ?? $"This call needs an API key in the {ApiKey.HeaderName} header (create one on your profile page).",
            StatusCodes.Status403Forbidden => "Your role does not allow this call.",
            StatusCodes.Status404NotFound => $"Nothing is at {request.Path}: check the address and the id in it.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with the Content-Type application/json.",
            StatusCodes.Status413PayloadTooLarge =>
                $"The request body is larger than this call takes ({context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes at most).",
            StatusCodes.Status429TooManyRequests => $"Too many requests from this caller: wait {context.Response.Headers.RetryAfter.FirstOrDefault() ?? "a"} second(s) and try again.",
            StatusCodes.Status500InternalServerError => "The server failed while handling this request; its log says why.",
            _ => null,
        };
    }
}
