using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AutoDeploy.Tests.Identity;
using AutoDeploy.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Hosting;

/// <summary>
/// HTTPS from configuration on real Kestrel, HSTS and the redirect of plain-HTTP pages when HTTPS is on, and forwarded
/// headers trusted from known proxies only, so that cookies are Secure exactly when the browser's request was HTTPS.
/// On SQLite only: the subject is the web server's pipeline, in front of any database.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class TransportTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly string _certificates = Path.Combine(Path.GetTempPath(), $"autodeploy-tls-{Guid.NewGuid():N}");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        if (Directory.Exists(_certificates))
        {
            Directory.Delete(_certificates, recursive: true);
        }
    }

    [Fact]
    public async Task Kestrel_serves_https_with_the_configured_certificate_and_sends_hsts()
    {
        var thumbprint = WriteCertificate(out var certificatePath, out var keyPath);
        _app.Settings["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0";
        _app.Settings["Kestrel:Endpoints:Https:Certificate:Path"] = certificatePath;
        _app.Settings["Kestrel:Endpoints:Https:Certificate:KeyPath"] = keyPath;
        _app.UseKestrel();
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient(new HttpClientHandler
        {
            // Exactly our certificate, as an agent registered with --server-thumbprint trusts it.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(address), "/healthz"));
        request.Headers.Host = "deploy.test"; // HSTS is never sent to localhost

        var response = await client.SendAsync(request);

        Assert.StartsWith("https://", address);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task With_https_on_plain_http_pages_are_redirected_and_https_ones_get_hsts_while_the_api_is_not_redirected()
    {
        _app.Settings["Https:Enabled"] = "true";
        _app.Settings["Https:Port"] = "443";

        var redirected = await Client("http://deploy.test").GetAsync("/account/login");
        var secure = await Client("https://deploy.test").GetAsync("/account/login");
        var api = _app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://deploy.test"), AllowAutoRedirect = false });
        api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal("https://deploy.test/account/login", redirected.Headers.Location?.ToString());
        Assert.True(secure.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/environments")).StatusCode);
    }

    [Fact]
    public async Task With_https_off_nothing_is_redirected_and_no_hsts_is_sent()
    {
        var response = await Client("https://deploy.test").GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Behind_a_known_tls_proxy_the_sign_in_cookies_are_secure()
    {
        var server = new Uri(_app.StartOnKestrel()); // loopback: the default known proxy

        var cookies = await SignInThroughProxyAsync(server);

        Assert.All(cookies, cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cookies, cookie => cookie.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task X_forwarded_proto_from_an_address_that_is_not_a_known_proxy_is_ignored()
    {
        _app.Settings["ForwardedHeaders:KnownProxies:0"] = "10.1.2.3";
        var server = new Uri(_app.StartOnKestrel());

        var cookies = await SignInThroughProxyAsync(server);

        Assert.Contains(cookies, cookie => cookie.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.All(cookies, cookie => Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    private HttpClient Client(string baseAddress) =>
        _app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });

    /// <summary>
    /// Signs in as a TLS proxy would pass it on: plain HTTP with <c>X-Forwarded-Proto: https</c>. Cookies are carried by
    /// hand, since a client would not send Secure cookies over plain HTTP. Returns every Set-Cookie of both answers.
    /// </summary>
    private static async Task<List<string>> SignInThroughProxyAsync(Uri server)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var page = await client.GetAsync("/account/login");
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
                ["Input.Email"] = AutoDeployAppFactory.AdminEmail,
                ["Input.Password"] = AutoDeployAppFactory.AdminPassword,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        cookies.AddRange(signedIn.Headers.GetValues("Set-Cookie"));
        return cookies;
    }

    /// <summary>A self-signed certificate for deploy.test and 127.0.0.1 as PEM files; returns its SHA-256 thumbprint.</summary>
    private string WriteCertificate(out string certificatePath, out string keyPath)
    {
        Directory.CreateDirectory(_certificates);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=deploy.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("deploy.test");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        certificatePath = Path.Combine(_certificates, "autodeploy.crt");
        keyPath = Path.Combine(_certificates, "autodeploy.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }
}
