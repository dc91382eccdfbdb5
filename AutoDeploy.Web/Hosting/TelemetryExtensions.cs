using System.Security.Cryptography;
using System.Text;
using AutoDeploy.Web.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AutoDeploy.Web.Hosting;

/// <summary>
/// OpenTelemetry: the server's metrics (<see cref="AutoDeployMetrics"/>) and ASP.NET Core's own, exported for Prometheus at
/// <c>/metrics</c> when <see cref="TelemetryOptions.MetricsEnabled"/>; traces exported over OTLP when an endpoint is set.
/// Nothing is collected or exported otherwise.
/// </summary>
public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>ASP.NET Core's and .NET's built-in meters exported beside the server's own.</summary>
    private static readonly string[] BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Diagnostics", "System.Net.Http", "System.Runtime",
    ];

    public static WebApplicationBuilder AddAutoDeployTelemetry(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        builder.Services.Configure<TelemetryOptions>(section);
        builder.Services.AddSingleton(_ => new AutoDeployMetrics());
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        var traces = options.TracesEndpoint();
        var tracing = traces is not null;
        if (!options.MetricsEnabled && !tracing)
        {
            return builder;
        }
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("autodeploy"));
        if (options.MetricsEnabled)
        {
            telemetry.WithMetrics(metrics => metrics.AddMeter([AutoDeployMetrics.MeterName, .. BuiltInMeters]).AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
            builder.Services.AddHostedService<MetricsSampler>();
        }
        if (tracing)
        {
            telemetry.WithTracing(tracer => tracer.AddAspNetCoreInstrumentation(o => o.Filter = c => c.Request.Path != MetricsPath)
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = traces!;
                    o.Protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                }));
        }
        return builder;
    }

    /// <summary>Maps <c>/metrics</c> when metrics are on, behind the scrape token and/or on its own listen address.</summary>
    public static WebApplication MapAutoDeployMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!options.MetricsEnabled)
        {
            return app;
        }
        if (!string.IsNullOrWhiteSpace(options.ScrapeToken))
        {
            var expected = Encoding.UTF8.GetBytes("Bearer " + options.ScrapeToken.Trim());
            app.UseWhen(c => c.Request.Path == MetricsPath, branch => branch.Use(async (context, next) =>
            {
                if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()), expected))
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                        detail: "Scraping the metrics needs the scrape token as a bearer token (Telemetry:ScrapeToken).").ExecuteAsync(context);
                    return;
                }
                await next(context);
            }));
        }
        var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (!string.IsNullOrWhiteSpace(options.MetricsHost))
        {
            endpoint.RequireHost(options.MetricsHost.Trim());
        }
        return app;
    }
}
