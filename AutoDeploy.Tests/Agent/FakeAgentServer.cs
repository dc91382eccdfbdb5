using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// The server side of the agent protocol in memory, on Kestrel at 127.0.0.1 with a free port (over HTTPS with a
/// certificate of the test's, if given): a job queue, the lines and results agents send, cancel requests, and 503s on demand.
/// </summary>
public sealed class FakeAgentServer : IAsyncDisposable
{
    public const string ApiKey = "API-FAKE-KEY";
    public const string EnrolmentToken = "ENROL-FAKE-TOKEN";
    public const string Token = "agent-token-42";
    public const int MachineId = 42;

    private readonly Channel<AgentJob> jobs = Channel.CreateUnbounded<AgentJob>();
    private readonly ConcurrentDictionary<long, ConcurrentQueue<LogLine>> lines = new();
    private readonly ConcurrentDictionary<long, int> batches = new();
    private readonly ConcurrentDictionary<long, int> heartbeats = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JobCompletion>> completions = new();
    private readonly ConcurrentDictionary<long, bool> cancels = new();
    private readonly List<(string Path, int Left)> failures = [];
    private TaskCompletionSource changed = NewSignal();
    private readonly List<MachineReadiness> readiness = [];
    private int readinessAnswers;
    private int requests;
    private WebApplication app = null!;

    public string Url { get; private set; } = "";

    /// <summary>HTTP requests that reached the server (a connection refused in its TLS handshake sends none).</summary>
    public int Requests => Volatile.Read(ref requests);

    public RegistrationRequest? LastRegistration { get; private set; }

    /// <summary>The header the last accepted registration was authorised with: X-Api-Key or X-Enrolment-Token.</summary>
    public string? LastCredentialHeader { get; private set; }

    public bool Deregistered { get; private set; }

    public static async Task<FakeAgentServer> StartAsync(X509Certificate2? certificate = null)
    {
        var server = new FakeAgentServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        server.app = builder.Build();
        server.Map(server.app);
        await server.app.StartAsync();
        server.Url = server.app.Urls.First();
        return server;
    }

    public void Enqueue(AgentJob job) => jobs.Writer.TryWrite(job);

    /// <summary>Answers 503 to the next <paramref name="count"/> requests whose path contains <paramref name="path"/>.</summary>
    public void FailNext(int count, string path = "/api/")
    {
        lock (failures)
        {
            failures.Add((path, count));
        }
    }

    public void RequestCancel(long jobId) => cancels[jobId] = true;

    /// <summary>What <c>GET /api/agent/readiness</c> answers, in turn; the last one from then on.</summary>
    public void AnswerReadiness(params MachineReadiness[] answers)
    {
        lock (readiness)
        {
            readiness.Clear();
            readiness.AddRange(answers);
        }
    }

    /// <summary>How many readiness answers the server gave.</summary>
    public int ReadinessAnswers => Volatile.Read(ref readinessAnswers);

    public Task<JobCompletion> CompletionOf(long jobId) => Completion(jobId).Task;

    public IReadOnlyList<LogLine> LinesOf(long jobId) => lines.TryGetValue(jobId, out var queue) ? [.. queue] : [];

    public IEnumerable<string> TextsOf(long jobId) => LinesOf(jobId).Select(l => l.Text);

    /// <summary>How many log batches with at least one line arrived for the job (heartbeats not counted).</summary>
    public int BatchesOf(long jobId) => batches.GetValueOrDefault(jobId);

    /// <summary>How many empty log batches (heartbeats) arrived for the job.</summary>
    public int HeartbeatsOf(long jobId) => heartbeats.GetValueOrDefault(jobId);

    /// <summary>Waits (30 s at most) until the condition holds, checking it whenever the server received something.</summary>
    public async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var signal = Volatile.Read(ref changed);
            if (condition())
            {
                return;
            }
            await signal.Task.WaitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        jobs.Writer.TryComplete();
        await app.DisposeAsync();
    }

    private void Map(WebApplication web)
    {
        web.Use(async (context, next) =>
        {
            Interlocked.Increment(ref requests);
            if (ShouldFail(context.Request.Path))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            if (context.Request.Path.StartsWithSegments("/api/agent")
                && context.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
            {
                await Results.Problem("The agent token is not valid.", statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        web.MapPost("/api/machines/register", (HttpRequest request, RegistrationRequest registration) => Register(request, registration));
        web.MapPost("/api/agent/poll", async (PollRequest poll, CancellationToken ct) =>
        {
            using var hold = CancellationTokenSource.CreateLinkedTokenSource(ct);
            hold.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                await jobs.Reader.WaitToReadAsync(hold.Token);
            }
            catch (OperationCanceledException)
            {
            }
            return jobs.Reader.TryRead(out var job) ? Results.Ok(job) : Results.NoContent();
        });
        web.MapPost("/api/agent/jobs/{id:long}/log", (long id, LogBatch batch) =>
        {
            var queue = lines.GetOrAdd(id, _ => new ConcurrentQueue<LogLine>());
            foreach (var line in batch.Lines)
            {
                queue.Enqueue(line);
            }
            (batch.Lines.Count > 0 ? batches : heartbeats).AddOrUpdate(id, 1, (_, n) => n + 1);
            Pulse();
            return Results.Ok(new LogBatchResponse(cancels.ContainsKey(id)));
        });
        web.MapPost("/api/agent/jobs/{id:long}/complete", (long id, JobCompletion completion) =>
        {
            Completion(id).TrySetResult(completion);
            Pulse();
            return Results.NoContent();
        });
        web.MapGet("/api/agent/readiness", () =>
        {
            lock (readiness)
            {
                var answer = readiness.Count > 1 ? readiness[0] : readiness.Single();
                if (readiness.Count > 1)
                {
                    readiness.RemoveAt(0);
                }
                Interlocked.Increment(ref readinessAnswers);
                Pulse();
                return Results.Ok(answer);
            }
        });
        web.MapDelete("/api/agent/registration", () =>
        {
            Deregistered = true;
            return Results.NoContent();
        });
    }

    private IResult Register(HttpRequest request, RegistrationRequest registration)
    {
        var enrolmentToken = request.Headers["X-Enrolment-Token"].ToString();
        if (enrolmentToken.Length > 0 ? enrolmentToken != EnrolmentToken : request.Headers["X-Api-Key"] != ApiKey)
        {
            return Results.Problem(enrolmentToken.Length > 0 ? "That is not a valid enrolment token." : "The API key is not valid.",
                statusCode: StatusCodes.Status401Unauthorized);
        }
        LastCredentialHeader = enrolmentToken.Length > 0 ? "X-Enrolment-Token" : "X-Api-Key";
        var errors = new RegistrationRequestValidator().Validate(registration).Errors
            .Select(e => (e.PropertyName, e.ErrorMessage))
            .Concat(registration.Environments.Where(e => e == "Nowhere").Select(e => ("Environments", $"Environment '{e}' does not exist.")))
            .GroupBy(e => e.Item1, e => e.Item2)
            .ToDictionary(g => g.Key, g => g.ToArray());
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }
        if (registration.Name == "taken")
        {
            return Results.Problem("A machine named 'taken' already exists.", statusCode: StatusCodes.Status409Conflict);
        }
        LastRegistration = registration;
        return Results.Created($"/api/machines/{MachineId}", new RegistrationResponse(MachineId, Token));
    }

    private bool ShouldFail(PathString path)
    {
        lock (failures)
        {
            var index = failures.FindIndex(f => f.Left > 0 && path.Value!.Contains(f.Path));
            if (index < 0)
            {
                return false;
            }
            failures[index] = (failures[index].Path, failures[index].Left - 1);
            return true;
        }
    }

    private TaskCompletionSource<JobCompletion> Completion(long jobId) =>
        completions.GetOrAdd(jobId, _ => new TaskCompletionSource<JobCompletion>(TaskCreationOptions.RunContinuationsAsynchronously));

    private void Pulse() => Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
