using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Domain.Validation;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Subscriptions;

/// <summary>What a receiver did with one delivery.</summary>
public sealed record WebhookResult(bool Succeeded, int? StatusCode, int DurationMs, string Excerpt);

/// <summary>
/// POSTs one signed delivery. A receiver has <see cref="SubscriptionOptions.Timeout"/> to answer (headers and the start of
/// its body); 2xx is success, anything else (a redirect too: they are not followed) is a failure to retry.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<SubscriptionOptions> options, TimeProvider time)
{
    public const string ClientName = "AutoDeploy.Subscriptions";

    /// <summary>Bytes of the answer read for its excerpt; the rest is never read.</summary>
    private const int ReadAtMost = 4096;

    public async Task<WebhookResult> SendAsync(string url, string secret, string category, string deliveryId, byte[] body,
        CancellationToken cancellationToken)
    {
        var timeout = options.Value.Timeout;
        var started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, time.GetUtcNow(), body));
            request.Headers.Add("X-AutoDeploy-Event", category);
            request.Headers.Add("X-AutoDeploy-Delivery", deliveryId);
            using var client = clients.CreateClient(ClientName);
            client.Timeout = timeout;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var excerpt = await ReadExcerptAsync(response, limit.Token);
            var status = (int)response.StatusCode;
            return new WebhookResult(response.IsSuccessStatusCode, status, Elapsed(started), excerpt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResult(false, null, Elapsed(started), $"No answer within {timeout.TotalSeconds:0.###} s: cut off.");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookResult(false, null, Elapsed(started), TextRules.Cut(ex.Message, SubscriptionDelivery.MaxExcerptLength));
        }
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ReadAtMost];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }
        return TextRules.Cut(Encoding.UTF8.GetString(buffer, 0, read).Replace('\0', ' '), SubscriptionDelivery.MaxExcerptLength);
    }

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}
