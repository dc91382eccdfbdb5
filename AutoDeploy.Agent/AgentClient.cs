using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Agent;

/// <summary>
/// The agent's side of the HTTP protocol (<see cref="AgentProtocol"/>). Each call either returns the answer or throws:
/// <see cref="ServerUnavailableException"/> (retry later), <see cref="TokenRefusedException"/> (401 on a token call)
/// or <see cref="AgentRequestException"/> (any other refusal).
/// </summary>
public sealed class AgentClient(HttpClient http, string server, string? token = null)
{
    /// <summary>The server's JSON: camelCase, enums as names; the types are <see cref="AgentJson"/>'s.</summary>
    public static readonly JsonSerializerOptions Json = AgentJson.Default.Options;

    /// <summary>What (de)serializes a <typeparamref name="T"/>, without reflection (the published agent is trimmed).</summary>
    public static JsonTypeInfo<T> TypeOf<T>() => (JsonTypeInfo<T>)Json.GetTypeInfo(typeof(T));

    private readonly Uri baseUri = new(server.EndsWith('/') ? server : server + "/", UriKind.Absolute);

    /// <summary>How long to wait for a long poll; comfortably above the time the server holds it open.</summary>
    public TimeSpan PollTimeout { get; init; } = AgentProtocol.DefaultLongPoll + TimeSpan.FromSeconds(40);

    /// <summary>How long to wait for any other call.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Registers with an administrator's API key.</summary>
    public Task<RegistrationResponse> RegisterAsync(string apiKey, RegistrationRequest request, CancellationToken ct) =>
        RegisterAsync(RegistrationCredential.ApiKey(apiKey), request, ct);

    /// <summary>Registers with an enrolment token or an administrator's API key.</summary>
    public async Task<RegistrationResponse> RegisterAsync(RegistrationCredential credential, RegistrationRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/machines/register")
        {
            Content = JsonContent.Create(request, TypeOf<RegistrationRequest>()),
        };
        message.Headers.Add(credential.Header, credential.Value.Trim());
        using var response = await SendAsync(message, RequestTimeout, withToken: false, ct);
        return await ReadAsync<RegistrationResponse>(response, ct);
    }

    /// <summary>Waits for work: a job, or none when the server had none during its long poll (or wants an update now).</summary>
    public async Task<PollAnswer> PollAsync(CancellationToken ct)
    {
        using var response = await PostAsync("api/agent/poll", new PollRequest(AgentProtocol.Version), PollTimeout, ct);
        var updateTo = response.Headers.TryGetValues(AgentProtocol.UpdateHeader, out var values) ? values.FirstOrDefault() : null;
        return new PollAnswer(response.StatusCode == HttpStatusCode.NoContent ? null : await ReadAsync<AgentJob>(response, ct), updateTo);
    }

    /// <summary>The agent binaries the server serves (anonymous, but through this client: only the trusted server answers).</summary>
    public async Task<List<AgentBinary>> GetBinariesAsync(CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "api/agent-binaries");
        using var response = await SendAsync(message, RequestTimeout, withToken: false, ct);
        return await ReadAsync<List<AgentBinary>>(response, ct);
    }

    /// <summary>Streams <paramref name="path"/> (relative to the server) into <paramref name="destination"/>.</summary>
    public async Task DownloadAsync(string path, Stream destination, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(TimeSpan.FromMinutes(10));
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timer.Token);
        response.EnsureSuccessStatusCode();
        await response.Content.CopyToAsync(destination, timer.Token);
    }

    /// <summary>
    /// Appends <paramref name="path"/> to <paramref name="destination"/> from its current length on (a Range request, with
    /// the agent's token), or writes it whole when the server sends it whole. Throws when the connection is cut.
    /// </summary>
    public async Task ResumeDownloadAsync(string path, FileStream destination, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (destination.Length > 0)
        {
            message.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(destination.Length, null);
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(TimeSpan.FromMinutes(30));
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timer.Token);
        if (response.StatusCode == System.Net.HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return;
        }
        response.EnsureSuccessStatusCode();
        if (response.StatusCode != System.Net.HttpStatusCode.PartialContent)
        {
            destination.SetLength(0);
        }
        destination.Seek(0, SeekOrigin.End);
        await response.Content.CopyToAsync(destination, timer.Token);
        await destination.FlushAsync(timer.Token);
    }

    public async Task ReportUpdateFailedAsync(AgentUpdateFailure failure, CancellationToken ct)
    {
        using var response = await PostAsync("api/agent/update-failed", failure, RequestTimeout, ct);
    }

    /// <summary>Sends a batch of output lines (empty as a heartbeat); the answer says whether to cancel the job.</summary>
    public async Task<LogBatchResponse> SendLogAsync(long jobId, IReadOnlyList<LogLine> lines, CancellationToken ct)
    {
        using var response = await PostAsync($"api/agent/jobs/{jobId}/log", new LogBatch(lines), RequestTimeout, ct);
        return await ReadAsync<LogBatchResponse>(response, ct);
    }

    public async Task CompleteAsync(long jobId, JobCompletion completion, CancellationToken ct)
    {
        using var response = await PostAsync($"api/agent/jobs/{jobId}/complete", completion, RequestTimeout, ct);
    }

    /// <summary>Whether this machine has every release its triggers say it should (<c>wait-ready</c> asks this).</summary>
    public async Task<MachineReadiness> ReadinessAsync(CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "api/agent/readiness");
        using var response = await SendAsync(message, RequestTimeout, withToken: true, ct);
        return await ReadAsync<MachineReadiness>(response, ct);
    }

    /// <summary>Deletes this machine on the server; its token stops working.</summary>
    public async Task DeregisterAsync(CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Delete, "api/agent/registration");
        using var response = await SendAsync(message, RequestTimeout, withToken: true, ct);
    }

    private async Task<HttpResponseMessage> PostAsync<T>(string path, T body, TimeSpan timeout, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, TypeOf<T>()) };
        return await SendAsync(message, timeout, withToken: true, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, TimeSpan timeout, bool withToken, CancellationToken ct)
    {
        message.RequestUri = new Uri(baseUri, message.RequestUri!);
        if (withToken)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timer.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ServerUnavailableException($"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnavailableException(e.Message, e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            {
                throw new ServerUnavailableException($"the server answered {status}");
            }
            var problem = await ReadProblemAsync(response, ct);
            var detail = problem?.Messages().FirstOrDefault();
            var text = $"the server answered {status}{(detail is null ? "" : ": " + detail)}";
            throw withToken && response.StatusCode == HttpStatusCode.Unauthorized
                ? new TokenRefusedException(problem, text)
                : new AgentRequestException(response.StatusCode, problem, text);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(TypeOf<T>(), ct)
                ?? throw new JsonException("the answer is empty");
        }
        catch (JsonException e)
        {
            throw new AgentRequestException(response.StatusCode, null, $"the server's answer is not a {typeof(T).Name}: {e.Message}");
        }
    }

    private static async Task<ServerProblem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(TypeOf<ServerProblem>(), ct);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
