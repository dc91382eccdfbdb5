using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>A self-signed RSA certificate in a .pfx file, as the README's openssl commands make one; deleted on dispose.</summary>
public sealed class KeyRingCertificate : IDisposable
{
    public const string Password = "test-pfx-password";

    public KeyRingCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=AutoDeploy Data Protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pkcs12, Password));
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"autodeploy-keyring-{Guid.NewGuid():N}.pfx");

    public void Dispose() => File.Delete(Path);
}
