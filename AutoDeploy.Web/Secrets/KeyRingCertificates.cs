using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AutoDeploy.Web.Secrets;

/// <summary>Loads the key ring's certificates, with a message that says what to fix when one cannot be used.</summary>
internal static class KeyRingCertificates
{
    public static X509Certificate2 Load(string path, string? password, string setting)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{setting} is '{path}', but there is no such file. Create it as README.md says " +
                "(\"Protecting the key ring\"), or remove the setting.");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{setting} '{path}' could not be read as a PKCS#12 (.pfx) file with the " +
                $"configured password: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new InvalidOperationException($"{setting} '{path}' has no RSA private key; the key ring needs one to decrypt its keys.");
        }
        return certificate;
    }
}
