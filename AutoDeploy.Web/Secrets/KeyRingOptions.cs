namespace AutoDeploy.Web.Secrets;

/// <summary>
/// The certificate (a PKCS#12 file kept outside the database) that encrypts the Data Protection key ring stored in the
/// database. Configuration section <c>DataProtection</c>.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>The .pfx file with the certificate and its private key; none: keys are stored unencrypted.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Certificates replaced by a rotation: they still decrypt the keys written while they were current.</summary>
    public List<PreviousCertificate> PreviousCertificates { get; set; } = [];

    public sealed class PreviousCertificate
    {
        public string? Path { get; set; }
        public string? Password { get; set; }
    }
}
