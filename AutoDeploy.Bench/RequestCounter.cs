namespace AutoDeploy.Bench;

/// <summary>Counts the HTTP requests the bench's agents send through one client (every call, answered or not).</summary>
public sealed class RequestCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
