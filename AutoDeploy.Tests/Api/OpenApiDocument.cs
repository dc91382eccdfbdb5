using System.Text.Json;
using System.Text.RegularExpressions;

namespace AutoDeploy.Tests.Api;

/// <summary>One operation of the OpenAPI document: what it declares it answers (status → media types).</summary>
public sealed record DocumentedOperation(string Method, string Path, Regex Matcher, IReadOnlyDictionary<string, IReadOnlyList<string>> Responses,
    JsonElement Element)
{
    public string Name => $"{Method} {Path}";
}

/// <summary>The served <c>/openapi/v1.json</c>, read as a client generator reads it.</summary>
public sealed class OpenApiDocument(IReadOnlyList<DocumentedOperation> operations)
{
    public IReadOnlyList<DocumentedOperation> Operations { get; } = operations;

    public static async Task<OpenApiDocument> LoadAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var operations = new List<DocumentedOperation>();
        foreach (var path in json.RootElement.GetProperty("paths").EnumerateObject())
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(path.Name).Replace(@"\{", "{"), "{[^}]+}", "[^/]+") + "$";
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToDictionary(
                    r => r.Name,
                    r => (IReadOnlyList<string>)(r.Value.TryGetProperty("content", out var content)
                        ? content.EnumerateObject().Select(c => c.Name).ToList()
                        : []));
                operations.Add(new DocumentedOperation(operation.Name.ToUpperInvariant(), path.Name, new Regex(pattern), responses,
                    operation.Value.Clone()));
            }
        }
        return new OpenApiDocument(operations);
    }

    /// <summary>The operation a request reached; a literal path beats a template (<c>/machines/register</c> over <c>/machines/{id}</c>).</summary>
    public DocumentedOperation? Find(string method, string path) =>
        Operations.Where(o => o.Method == method && o.Matcher.IsMatch(path)).OrderBy(o => o.Path.Count(c => c == '{')).FirstOrDefault();
}
