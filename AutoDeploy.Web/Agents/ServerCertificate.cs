using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AutoDeploy.Web.Agents;

/// <summary>
/// The SHA-256 thumbprint of the certificate Kestrel serves, as agents pin it (<c>register --server-thumbprint</c>):
/// read from the same configuration Kestrel reads (<c>Kestrel:Endpoints:*:Certificate</c>, else
/// <c>Kestrel:Certificates:Default</c>), so Getting started and install.sh can show it. Null without a certificate file.
/// </summary>
public sealed class ServerCertificate(IConfiguration configuration, ILogger<ServerCertificate> logger)
{
    private readonly Lazy<string?> _thumbprint = new(() => Read(configuration, logger));

    public string? Thumbprint => _thumbprint.Value;

    /// <summary>The thumbprint agents reaching the server at <paramref name="serverUrl"/> should pin: only over HTTPS.</summary>
    public string? ThumbprintFor(string serverUrl) =>
        serverUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? Thumbprint : null;

    private static string? Read(IConfiguration configuration, ILogger logger)
    {
        var sections = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e.GetSection("Certificate"))
            .Append(configuration.GetSection("Kestrel:Certificates:Default"));
        foreach (var section in sections.Where(s => !string.IsNullOrEmpty(s["Path"])))
        {
            try
            {
                using var certificate = Path.GetExtension(section["Path"]!).ToLowerInvariant() is ".pfx" or ".p12"
                    ? X509CertificateLoader.LoadPkcs12FromFile(section["Path"]!, section["Password"])
                    : X509CertificateLoader.LoadCertificateFromFile(section["Path"]!);
                return Convert.ToHexString(SHA256.HashData(certificate.RawData));
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Cannot read the server certificate {Path} to show its thumbprint: {Message}", section["Path"], e.Message);
            }
        }
        return null;
    }
}
