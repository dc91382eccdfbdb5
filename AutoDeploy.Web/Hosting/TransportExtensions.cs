using System.Net;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;

namespace AutoDeploy.Web.Hosting;

/// <summary>The <c>Https</c> section: whether the server is reached over HTTPS (directly or through a TLS proxy).</summary>
public sealed class HttpsOptions
{
    public const string Section = "Https";

    /// <summary>On when set true, or when unset and the server binds an <c>https://</c> URL; set it true behind a TLS-terminating proxy.</summary>
    public bool? Enabled { get; set; }

    /// <summary>How long browsers keep to HTTPS once told (HSTS); 365 days.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The port plain-HTTP page requests are sent to; by default the bound https port (443 behind a proxy: set it).</summary>
    public int? Port { get; set; }
}

/// <summary>
/// How requests arrive: forwarded headers from known proxies only (the loopback address unless
/// <c>ForwardedHeaders:KnownProxies</c>/<c>KnownNetworks</c> name others, which then replace it), so a TLS proxy's
/// requests count as HTTPS and from the client's address; with HTTPS on, HSTS and a redirect of plain-HTTP pages;
/// and every cookie <c>Secure</c> whenever the original request was HTTPS.
/// </summary>
public static class TransportExtensions
{
    public static WebApplicationBuilder AddAutoDeployTransport(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var https = configuration.GetSection(HttpsOptions.Section).Get<HttpsOptions>() ?? new HttpsOptions();
        https.Enabled ??= BoundUrls(configuration).Any(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        services.AddSingleton(https);
        services.Configure<ForwardedHeadersOptions>(o => ConfigureForwardedHeaders(o, configuration));
        services.AddHsts(o => o.MaxAge = https.HstsMaxAge);
        services.AddHttpsRedirection(o => o.HttpsPort = https.Port);
        // Identity's cookies are SameAsRequest already; antiforgery's default would never be Secure.
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.ConfigureApplicationCookie(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.ConfigureExternalCookie(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return builder;
    }

    /// <summary>First in the pipeline: everything after sees the client's address and scheme.</summary>
    public static WebApplication UseAutoDeployTransport(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (app.Services.GetRequiredService<HttpsOptions>().Enabled == true)
        {
            app.UseHsts();
            // Pages only: scripts and agents are told by their URL, and a redirect would not carry a POST's intent everywhere.
            app.UseWhen(context => !ApiRefusal.IsApi(context), pages => pages.UseHttpsRedirection());
        }
        return app;
    }

    private static IEnumerable<string> BoundUrls(IConfiguration configuration) =>
        (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""));

    private static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        // Not X-Forwarded-Host: the host a browser asked for is not needed, and trusting it would let links be rewritten.
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        var proxies = configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        var networks = configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        if (proxies.Length == 0 && networks.Length == 0)
        {
            return; // ASP.NET Core's default: only a proxy on this machine (loopback) is trusted
        }
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address, e.g. 10.0.0.5."));
        }
        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a network, e.g. 10.0.0.0/8."));
        }
    }
}
