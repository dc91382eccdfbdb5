using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>Reads an error answer of the API: the status expected, as problem details (<c>application/problem+json</c>).</summary>
public static class ProblemResponses
{
    public static Task<ValidationProblemDetails> ProblemAsync(HttpResponseMessage response, HttpStatusCode status) =>
        ProblemAsync<ValidationProblemDetails>(response, status);

    public static async Task<T> ProblemAsync<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<T>(ProtocolAgent.Json))!;
    }
}
