using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// The API tour again, but before each call with a JSON body, the same call with one string of the body made hostile:
/// a NUL character in it, or 200,000 characters of it. Each must be refused with a 400 problem (or the original call's
/// own 4xx), never stored and never a server error, on SQLite and on PostgreSQL alike (this class runs on both).
/// </summary>
[Trait("Database", "App")]
public sealed class HostileTourTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly List<string> _wrong = [];
    private int _sent;

    public Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_string_of_every_body_refuses_a_NUL_and_a_length_past_its_limit()
    {
        var viewerKey = await _app.CreateViewerApiKeyAsync();

        var tour = new ApiTour(Client(AutoDeployAppFactory.AdminApiKey), Client(null), Client(viewerKey), token => Client(null, token));
        // A hostile variant that was stored can break the tour's next step; what was stored is the finding to report.
        var broken = await Record.ExceptionAsync(tour.RunAsync);

        Assert.True(_wrong.Count == 0, $"{_wrong.Count} of {_sent} hostile requests were not refused properly:\n" + string.Join("\n", _wrong)
            + (broken is null ? "" : $"\nThen the tour broke: {broken.Message}"));
        Assert.True(_sent > 120, $"Only {_sent} hostile requests were sent: the tour lost its bodies?");
        Assert.Null(broken);
    }

    private HttpClient Client(string? apiKey, string? agentToken = null)
    {
        var client = new HttpClient(new Hostile(this) { InnerHandler = _app.Server.CreateHandler() }) { BaseAddress = _app.Server.BaseAddress };
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

    /// <summary>The body with each of its strings made hostile, one at a time: (which string and how, the body).</summary>
    private static IEnumerable<(string Where, string Body)> Mutations(string body)
    {
        var count = Strings(JsonNode.Parse(body)!).Count;
        for (var i = 0; i < count; i++)
        {
            foreach (var (kind, suffix) in new[] { ("a NUL", "\0x"), ("200,000 characters", new string('x', 200_000)) })
            {
                var copy = JsonNode.Parse(body)!;
                var leaf = Strings(copy)[i];
                var where = leaf.GetPath();
                leaf.ReplaceWith(leaf.GetValue<string>() + suffix);
                yield return ($"{where} with {kind}", copy.ToJsonString());
            }
        }
    }

    private static List<JsonValue> Strings(JsonNode root)
    {
        var leaves = new List<JsonValue>();
        Collect(root);
        return leaves;

        void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, child) in o)
                    {
                        Collect(child);
                    }
                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Collect(child);
                    }
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    leaves.Add(v);
                    break;
            }
        }
    }

    /// <summary>Sends the hostile variants of a call first, then the call itself, and judges the variants by the call's answer.</summary>
    private sealed class Hostile(HostileTourTests test) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            // An agent's log lines and update failure are bounded by construction (cut, cleaned and kept), not refused:
            // a script's output and an update's error are what they are, and losing them would hide what happened.
            if (body is null || !path.StartsWith("/api/", StringComparison.Ordinal) || path.EndsWith("/log", StringComparison.Ordinal)
                || path.EndsWith("/update-failed", StringComparison.Ordinal)
                || !body.TrimStart().StartsWith('{'))
            {
                return await base.SendAsync(request, cancellationToken);
            }
            var answers = new List<(string Where, HttpStatusCode Status, string? MediaType, string Body)>();
            foreach (var (where, hostile) in Mutations(body))
            {
                using var variant = new HttpRequestMessage(request.Method, request.RequestUri) { Content = new StringContent(hostile, Encoding.UTF8, "application/json") };
                foreach (var header in request.Headers)
                {
                    variant.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
                using var answer = await base.SendAsync(variant, cancellationToken);
                answers.Add((where, answer.StatusCode, answer.Content.Headers.ContentType?.MediaType, await answer.Content.ReadAsStringAsync(cancellationToken)));
            }
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            var response = await base.SendAsync(request, cancellationToken);
            var original = (int)response.StatusCode;
            lock (test._wrong)
            {
                test._sent += answers.Count;
                foreach (var (where, status, mediaType, text) in answers)
                {
                    var code = (int)status;
                    var refused = original < 400 ? code == 400 : code is >= 400 and < 500;
                    if (!refused || mediaType != "application/problem+json")
                    {
                        test._wrong.Add($"{request.Method} {path} ({original}), {where}: {code} {mediaType} {text[..Math.Min(200, text.Length)]}");
                    }
                }
            }
            return response;
        }
    }
}
