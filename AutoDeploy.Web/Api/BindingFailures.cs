using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.Metadata;

namespace AutoDeploy.Web.Api;

/// <summary>
/// Says which parameter the binder could not read when an endpoint answered an empty 400. The request delegates are
/// generated at build time (the Request Delegate Generator: an app starts a third quicker than with delegates compiled at
/// run time), and for an optional number in the query (<c>take=abc</c>) the generated code answers 400 without throwing
/// or logging. The endpoint's parameter metadata tells which route or query values should have parsed as what.
/// </summary>
public static class BindingFailures
{
    /// <summary>"Failed to bind parameter "int? take" from "abc".", as the binder itself words it; null when no route or query value is at fault.</summary>
    public static string? Describe(HttpContext context)
    {
        var parameters = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [];
        foreach (var parameter in parameters.Where(p => p.HasTryParse))
        {
            var raw = context.Request.RouteValues.TryGetValue(parameter.Name, out var route) ? route?.ToString()
                : context.Request.Query.TryGetValue(parameter.Name, out var query) ? query.ToString() : null;
            var type = Nullable.GetUnderlyingType(parameter.ParameterInfo.ParameterType) ?? parameter.ParameterInfo.ParameterType;
            if (!string.IsNullOrEmpty(raw) && !TypeDescriptor.GetConverter(type).IsValid(null, raw))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"Failed to bind parameter \"{Name(parameter.ParameterInfo.ParameterType)} {parameter.Name}\" from \"{Domain.Validation.TextRules.Cut(raw, 100)}\".");
            }
        }
        return null;
    }

    private static string Name(Type type) => Nullable.GetUnderlyingType(type) is { } inner ? $"{Name(inner)}?" : type.Name switch
    {
        "Int32" => "int",
        "Int64" => "long",
        "Boolean" => "bool",
        _ => type.Name,
    };
}
