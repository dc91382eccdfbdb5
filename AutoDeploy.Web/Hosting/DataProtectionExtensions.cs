using AutoDeploy.Web.Data;
using AutoDeploy.Web.Secrets;
using Microsoft.AspNetCore.DataProtection;

namespace AutoDeploy.Web.Hosting;

/// <summary>
/// Data Protection: its key ring in the database (sign-ins survive a restart and a switch to another node), encrypted
/// with a certificate kept outside it when one is configured; and the sensitive variables it encrypts.
/// </summary>
public static class DataProtectionExtensions
{
    public static IServiceCollection AddAutoDeployDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(KeyRingOptions.Section);
        services.Configure<KeyRingOptions>(section);
        var options = section.Get<KeyRingOptions>() ?? new KeyRingOptions();
        var dataProtection = services.AddDataProtection().SetApplicationName("AutoDeploy").PersistKeysToDbContext<AutoDeployDbContext>();
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            var current = KeyRingCertificates.Load(options.CertificatePath, options.CertificatePassword, "DataProtection:CertificatePath");
            var previous = options.PreviousCertificates.Select((c, i) => KeyRingCertificates.Load(
                c.Path ?? "", c.Password, $"DataProtection:PreviousCertificates:{i}:Path"));
            dataProtection.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate([current, .. previous]);
        }
        services.AddSingleton<SecretProtector>();
        // After DatabaseInitializer (registered with the database): the tables exist.
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            services.AddHostedService<KeyRingUpgrade>();
        }
        services.AddHostedService<SecretMigration>();
        return services;
    }
}
