using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>Speaks the agent protocol step by step, so server tests control exactly what the agent says when.</summary>
public sealed class ProtocolAgent(HttpClient client, string token)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<AgentJob?> PollAsync()
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/agent/poll", new PollRequest("1.0.0"));
        response.EnsureSuccessStatusCode();
        return response.StatusCode == HttpStatusCode.NoContent ? null : await response.Content.ReadFromJsonAsync<AgentJob>(Json);
    }

    /// <summary>Polls until a job arrives (each poll is a long poll held by the server).</summary>
    public async Task<AgentJob> NextJobAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            timeout.Token.ThrowIfCancellationRequested();
            if (await PollAsync() is { } job)
            {
                return job;
            }
        }
    }

    public async Task<LogBatchResponse> LogAsync(long jobId, params string[] lines)
    {
        var batch = new LogBatch(lines.Select(l => new LogLine(DateTimeOffset.UtcNow, LogStream.Output, l)).ToList());
        using var response = await SendAsync(HttpMethod.Post, $"/api/agent/jobs/{jobId}/log", batch);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LogBatchResponse>(Json))!;
    }

    public async Task CompleteAsync(long jobId, JobOutcome outcome, int? exitCode, string? message = null)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/agent/jobs/{jobId}/complete", new JobCompletion(outcome, exitCode, message));
        response.EnsureSuccessStatusCode();
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
