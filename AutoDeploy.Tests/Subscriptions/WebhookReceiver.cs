using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using AutoDeploy.Domain.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AutoDeploy.Tests.Subscriptions;

/// <summary>One POST a <see cref="WebhookReceiver"/> got, and how it answered.</summary>
public sealed record ReceivedWebhook(byte[] Body, string Signature, string EventHeader, int AnsweredStatus)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public long? EventId => Json.TryGetProperty("id", out var id) ? id.GetInt64() : null;
    public string Category => Json.GetProperty("category").GetString()!;
}

/// <summary>
/// A real HTTP receiver on Kestrel at 127.0.0.1 on a free port: records every POST to <c>/hook</c> and answers 200, or what
/// the test planned for the next requests (a 503 outage, a hang that only the sender's timeout ends).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly Queue<Func<HttpContext, Task<int>>> _planned = new();
    private WebApplication _app = null!;

    public string Url { get; private set; } = "";

    /// <summary>Every POST, in the order they arrived, whatever the answer.</summary>
    public IReadOnlyList<ReceivedWebhook> All => _received.ToList();

    /// <summary>The POSTs answered 2xx, in order: what the receiver accepted.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted => _received.Where(r => r.AnsweredStatus is >= 200 and < 300).ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        receiver._app = builder.Build();
        receiver._app.MapPost("/hook", receiver.HandleAsync);
        await receiver._app.StartAsync();
        receiver.Url = receiver._app.Urls.First() + "/hook";
        return receiver;
    }

    /// <summary>The next <paramref name="count"/> requests get <paramref name="status"/>.</summary>
    public void FailNext(int count, int status = StatusCodes.Status503ServiceUnavailable)
    {
        lock (_planned)
        {
            for (var i = 0; i < count; i++)
            {
                _planned.Enqueue(_ => Task.FromResult(status));
            }
        }
    }

    /// <summary>The outage ends: what was planned for the next requests is forgotten, they get 200.</summary>
    public void Recover()
    {
        lock (_planned)
        {
            _planned.Clear();
        }
    }

    /// <summary>The next <paramref name="count"/> requests never get an answer (until the sender gives up and hangs up).</summary>
    public void HangNext(int count)
    {
        lock (_planned)
        {
            for (var i = 0; i < count; i++)
            {
                _planned.Enqueue(async context =>
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return 0;
                });
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        Func<HttpContext, Task<int>>? plan;
        lock (_planned)
        {
            _planned.TryDequeue(out plan);
        }
        var status = plan is null ? StatusCodes.Status200OK : await plan(context);
        _received.Enqueue(new ReceivedWebhook(body.ToArray(), context.Request.Headers[WebhookSignature.Header].ToString(),
            context.Request.Headers["X-AutoDeploy-Event"].ToString(), status));
        if (status == 0)
        {
            return;
        }
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(status == 200 ? "thanks" : "receiver is down for maintenance");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
