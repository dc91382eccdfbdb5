using System.Text.RegularExpressions;
using AutoDeploy.Tests.Architecture;
using AutoDeploy.Tests.TestSupport;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// The README's REST API section names every call the server answers, with its method. On SQLite only: the endpoints
/// are the same whatever the database.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed partial class ReadmeApiTableTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    [Fact]
    public void Every_call_of_the_api_is_in_the_readme_with_its_method()
    {
        var documented = DocumentedCalls();

        var missing = ServedCalls().Where(call => !documented.Contains(call)).ToList();

        Assert.True(missing.Count == 0, $"The README's REST API section lacks: {string.Join(", ", missing)}");
    }

    /// <summary>"GET /api/machines/{}" for each endpoint under /api, /install.sh and /agents; route values' names and constraints dropped.</summary>
    private IEnumerable<string> ServedCalls()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return endpoints
            .Select(e => (Path: "/" + Parameter().Replace(e.RoutePattern.RawText!.Trim('/'), "{}"),
                Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => e.Path.StartsWith("/api/", StringComparison.Ordinal) || e.Path.StartsWith("/agents/", StringComparison.Ordinal)
                        || e.Path == "/install.sh")
            .SelectMany(e => e.Methods.Select(m => $"{m} {e.Path}"))
            .Distinct().Order();
    }

    /// <summary>Each "GET/PUT /api/x/{id}" the README's REST API section writes, as "GET /api/x/{}" and "PUT /api/x/{}".</summary>
    private static HashSet<string> DocumentedCalls()
    {
        var readme = File.ReadAllText(Path.Combine(SourceTree.Root, "README.md"));
        var start = readme.IndexOf("\n## REST API", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return Call().Matches(section)
            .SelectMany(m => m.Groups["methods"].Value.Split('/').Select(method => $"{method} {Parameter().Replace(m.Groups["path"].Value, "{}")}"))
            .ToHashSet();
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"`(?<methods>(?:GET|POST|PUT|DELETE|PATCH)(?:/(?:GET|POST|PUT|DELETE|PATCH))*) (?<path>/[\w./{}:,-]*[\w}.])")]
    private static partial Regex Call();
}
