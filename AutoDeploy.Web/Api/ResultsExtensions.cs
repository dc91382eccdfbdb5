using System.Text.Json;
using AutoDeploy.Web.Data;

namespace AutoDeploy.Web.Api;

/// <summary>Turns a <see cref="SaveResult"/> into RFC 7807 problem details.</summary>
public static class ResultsExtensions
{
    public static IResult ToProblem(this SaveResult result) => result.Status switch
    {
        SaveStatus.Invalid => TypedResults.ValidationProblem(
            result.Errors?.ToDictionary(e => CamelCase(e.Key), e => e.Value) ?? new Dictionary<string, string[]>(), detail: result.Message),
        SaveStatus.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        SaveStatus.Conflict => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        SaveStatus.Unauthorized => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"),
        SaveStatus.Forbidden => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        SaveStatus.Stale => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Stale version"),
        _ => throw new InvalidOperationException("A successful save is not a problem."),
    };

    /// <summary>"Steps[0].Roles" → "steps[0].roles": error keys follow the JSON the client sent.</summary>
    public static string CamelCase(string path) =>
        string.Join('.', path.Split('.').Select(part => JsonNamingPolicy.CamelCase.ConvertName(part)));
}
