using System.Collections.Concurrent;
using System.Net;
using AutoDeploy.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AutoDeploy.Tests.Telemetry;

/// <summary>
/// Traces of HTTP requests go to the OTLP collector configured, here a real HTTP receiver on OTLP/HTTP's path. Its subject
/// is the exporter's wiring, not the database, so it runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class TracingTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, string? ContentType, long Length)> _received = new();
    private WebApplication _collector = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _collector = builder.Build();
        _collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _received.Enqueue((request.Path, request.ContentType, body.Length));
            return Results.Ok();
        });
        await _collector.StartAsync();
    }

    public async Task DisposeAsync() => await _collector.DisposeAsync();

    [Fact]
    public async Task Requests_are_exported_as_OTLP_traces_to_the_configured_collector()
    {
        await using var app = new AutoDeployAppFactory();
        app.Settings["Telemetry:OtlpEndpoint"] = _collector.Urls.First();
        app.Settings["Telemetry:OtlpProtocol"] = "http/protobuf";

        (await app.CreateClient().GetAsync("/healthz")).EnsureSuccessStatusCode();

        // The exporter sends in batches, every few seconds.
        await Eventually.TrueAsync(() => Task.FromResult(!_received.IsEmpty), TimeSpan.FromSeconds(30), () => "no trace reached the collector");
        var (path, contentType, length) = _received.First();
        Assert.Equal("/v1/traces", path);
        Assert.Equal("application/x-protobuf", contentType);
        Assert.True(length > 0);
    }

    [Fact]
    public void An_unknown_protocol_stops_the_start_with_a_message()
    {
        using var app = new AutoDeployAppFactory();
        app.Settings["Telemetry:OtlpEndpoint"] = "http://collector:4317";
        app.Settings["Telemetry:OtlpProtocol"] = "carrier-pigeon";

        Assert.Contains("Telemetry:OtlpProtocol 'carrier-pigeon' is unknown", Assert.Throws<InvalidOperationException>(() => app.CreateClient()).Message);
    }
}
