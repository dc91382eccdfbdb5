using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// The OpenAPI document against the live server: a tour calls every operation it lists (answers that succeed and the usual
/// errors), and each answer's status must be declared for its operation, with a declared media type; the document itself
/// gives every operation a unique operationId, a summary, a security requirement and an error answer. On SQLite only: the
/// document and the declared answers do not depend on the database (HostileTourTests walks the same tour on PostgreSQL).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class OpenApiConformanceTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly List<Exchange> _seen = [];
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _admin = Client(AutoDeployAppFactory.AdminApiKey);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_operation_is_documented_for_a_client_generator()
    {
        var document = await OpenApiDocument.LoadAsync(_admin);

        var lacking = document.Operations.SelectMany(o => Lacks(o).Select(what => $"{o.Name}: {what}")).ToList();
        var ids = document.Operations.Select(o => o.Element.GetProperty("operationId").GetString()).ToList();

        Assert.True(lacking.Count == 0, string.Join("\n", lacking));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Every_answer_of_every_operation_is_declared_in_the_document()
    {
        var document = await OpenApiDocument.LoadAsync(_admin);

        await new ApiTour(_admin, Client(null), await ViewerAsync(), token => Client(null, token)).RunAsync();

        var undeclared = _seen.Where(e => !e.Path.StartsWith("/openapi/", StringComparison.Ordinal)).Select(e => (Exchange: e, Operation: document.Find(e.Method, e.Path)))
            .Select(x => x.Operation is null ? $"{x.Exchange}: no such operation in the document"
                : !x.Operation.Responses.TryGetValue(x.Exchange.Status.ToString(), out var types) ? $"{x.Exchange}: status not declared"
                : x.Exchange.MediaType is { } type && types.Count > 0 && !types.Contains(type) ? $"{x.Exchange}: {type} not declared"
                : null)
            .OfType<string>().Distinct().ToList();
        var untoured = document.Operations.Where(o => !_seen.Any(e => document.Find(e.Method, e.Path) == o)).Select(o => o.Name).ToList();
        Assert.True(undeclared.Count == 0, string.Join("\n", undeclared));
        Assert.True(untoured.Count == 0, "Not called by the tour: " + string.Join(", ", untoured));
    }

    private static IEnumerable<string> Lacks(DocumentedOperation operation)
    {
        var element = operation.Element;
        if (!element.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
        {
            yield return "no summary";
        }
        if (!element.TryGetProperty("operationId", out _))
        {
            yield return "no operationId";
        }
        if (!element.TryGetProperty("security", out var security) || security.GetArrayLength() == 0)
        {
            yield return "no security requirement (an empty one if anyone may call it)";
        }
        var anonymous = security.ValueKind == JsonValueKind.Array && security.EnumerateArray().Any(r => !r.EnumerateObject().Any());
        if (!anonymous && !operation.Responses.Keys.Any(status => status.StartsWith('4')))
        {
            yield return "no 4xx answer";
        }
    }

    private async Task<HttpClient> ViewerAsync()
    {
        var viewer = await _app.CreateViewerClientAsync();
        return Client(viewer.DefaultRequestHeaders.GetValues("X-Api-Key").Single());
    }

    /// <summary>A client of the app whose every exchange is recorded; with an API key or an agent's bearer token.</summary>
    private HttpClient Client(string? apiKey, string? agentToken = null)
    {
        var client = new HttpClient(new Recorder(_seen) { InnerHandler = _app.Server.CreateHandler() }) { BaseAddress = _app.Server.BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
        if (agentToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", agentToken);
        }
        return client;
    }

    public sealed record Exchange(string Method, string Path, int Status, string? MediaType)
    {
        public override string ToString() => $"{Method} {Path} → {Status} {MediaType}";
    }

    private sealed class Recorder(List<Exchange> seen) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            lock (seen)
            {
                seen.Add(new Exchange(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode,
                    response.Content.Headers.ContentLength == 0 ? null : response.Content.Headers.ContentType?.MediaType));
            }
            return response;
        }
    }
}
