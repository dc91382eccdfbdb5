using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AutoDeploy.Agent;
using AutoDeploy.Web.Agents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// The thumbprint the server shows (Getting started, the token page's line, install.sh) is the one the agent pins:
/// read from Kestrel's own certificate configuration, PEM or PFX, and only offered over HTTPS.
/// </summary>
public sealed class ServerCertificateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autodeploy-certificate-").FullName;
    private readonly X509Certificate2 _certificate;

    public ServerCertificateTests()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=deploy.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void A_pem_certificate_of_an_endpoint_gives_the_thumbprint_the_agent_computes()
    {
        var path = Path.Combine(_folder, "server.crt");
        File.WriteAllText(path, _certificate.ExportCertificatePem());

        var certificate = Of(new() { ["Kestrel:Endpoints:Https:Url"] = "https://0.0.0.0:5443", ["Kestrel:Endpoints:Https:Certificate:Path"] = path });

        Assert.Equal(ServerTrust.ThumbprintOf(_certificate), certificate.Thumbprint);
        Assert.Equal(certificate.Thumbprint, certificate.ThumbprintFor("https://deploy.example.test"));
        Assert.Null(certificate.ThumbprintFor("http://localhost:5080"));
    }

    [Fact]
    public void A_default_pfx_certificate_with_its_password_is_read_too()
    {
        var path = Path.Combine(_folder, "server.pfx");
        File.WriteAllBytes(path, _certificate.Export(X509ContentType.Pfx, "s3cret"));

        var certificate = Of(new() { ["Kestrel:Certificates:Default:Path"] = path, ["Kestrel:Certificates:Default:Password"] = "s3cret" });

        Assert.Equal(ServerTrust.ThumbprintOf(_certificate), certificate.Thumbprint);
    }

    [Fact]
    public void Without_a_certificate_file_there_is_nothing_to_pin()
    {
        Assert.Null(Of([]).Thumbprint);
        Assert.Null(Of(new() { ["Kestrel:Endpoints:Https:Certificate:Path"] = Path.Combine(_folder, "missing.crt") }).Thumbprint);
    }

    [Fact]
    public void Install_sh_served_over_https_pins_the_certificate_and_over_http_does_not()
    {
        var path = Path.Combine(_folder, "server.crt");
        File.WriteAllText(path, _certificate.ExportCertificatePem());
        var script = new InstallScript(new AgentBinaries(Options.Create(new AgentBinaryOptions { Folder = _folder })),
            Of(new() { ["Kestrel:Endpoints:Https:Certificate:Path"] = path }));

        var overHttps = script.Render("https://deploy.example.test", https: true);
        var overHttp = script.Render("http://localhost:5080", https: false);

        Assert.Contains($"thumbprint='{ServerTrust.ThumbprintOf(_certificate)}'", overHttps);
        Assert.Contains("server='https://deploy.example.test'", overHttps);
        Assert.Contains("thumbprint=''", overHttp);
        // No binaries in this folder: the script says so rather than download nothing.
        Assert.Contains("sha256_x86_64=''", overHttp);
    }

    [Fact]
    public void A_server_address_with_a_quote_stays_one_word_in_the_script() =>
        Assert.Equal("'https://x'\\''; rm -rf /'", InstallScript.Quote("https://x'; rm -rf /"));

    private static ServerCertificate Of(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<ServerCertificate>.Instance);
}
