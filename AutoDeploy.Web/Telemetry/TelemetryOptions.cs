namespace AutoDeploy.Web.Telemetry;

/// <summary>
/// The <c>Telemetry</c> section. Metrics are off unless <see cref="MetricsEnabled"/>; then <c>/metrics</c> answers only
/// a scraper that shows <see cref="ScrapeToken"/> as a bearer token, or only on <see cref="MetricsHost"/> (a listen
/// address of its own, e.g. <c>*:9464</c>, added to the server's URLs), or both. One of the two is required.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The shortest scrape token accepted: guessing it must be hopeless.</summary>
    public const int MinScrapeTokenLength = 32;

    public bool MetricsEnabled { get; set; }

    public string? ScrapeToken { get; set; }

    public string? MetricsHost { get; set; }

    /// <summary>How often the gauges of the shared database (queue, engine lag, machines by health) are read.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>An OTLP endpoint (e.g. <c>http://collector:4317</c>) to export traces to; none when empty.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317 by convention) or <c>http/protobuf</c> (4318; <c>/v1/traces</c> is added to a bare address).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Why these options cannot work, or null.</summary>
    public string? Problem()
    {
        if (!MetricsEnabled)
        {
            return TracingProblem();
        }
        if (string.IsNullOrWhiteSpace(ScrapeToken) && string.IsNullOrWhiteSpace(MetricsHost))
        {
            return "Telemetry:MetricsEnabled is true, but /metrics would be open to anyone: set Telemetry:ScrapeToken " +
                   $"(at least {MinScrapeTokenLength} characters) or Telemetry:MetricsHost (a listen address of its own, e.g. *:9464).";
        }
        if (!string.IsNullOrWhiteSpace(ScrapeToken) && ScrapeToken.Trim().Length < MinScrapeTokenLength)
        {
            return $"Telemetry:ScrapeToken is too short: use at least {MinScrapeTokenLength} random characters (e.g. openssl rand -hex 32).";
        }
        return SampleInterval <= TimeSpan.Zero ? "Telemetry:SampleInterval must be positive, e.g. 00:00:15." : TracingProblem();
    }

    /// <summary>The URL traces are sent to, with the path OTLP over HTTP needs; null when tracing is off.</summary>
    public Uri? TracesEndpoint()
    {
        if (string.IsNullOrWhiteSpace(OtlpEndpoint))
        {
            return null;
        }
        var endpoint = new Uri(OtlpEndpoint.Trim());
        return OtlpProtocol == "http/protobuf" && endpoint.AbsolutePath is "/" or "" ? new Uri(endpoint, "/v1/traces") : endpoint;
    }

    private string? TracingProblem()
    {
        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            return $"Telemetry:OtlpProtocol '{OtlpProtocol}' is unknown; use grpc or http/protobuf.";
        }
        return OtlpEndpoint is { Length: > 0 } otlp && !Uri.TryCreate(otlp.Trim(), UriKind.Absolute, out _)
            ? $"Telemetry:OtlpEndpoint '{otlp}' is not an absolute URL." : null;
    }
}
