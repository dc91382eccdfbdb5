using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// The <c>Bootstrap</c> section: headless set-up of the first administrator and an API key with
/// exactly the given value, applied only while no user exists.
/// </summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    /// <summary>The shortest bootstrap API key accepted (a generated key is 36 characters).</summary>
    public const int MinApiKeyLength = 32;

    /// <summary>Sample values from documentation, refused because anyone who read it knows them.</summary>
    public static readonly IReadOnlyList<string> SampleApiKeys = ["API-CHANGEME0123456789"];

    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string? AdminApiKey { get; set; }
}

/// <summary>
/// Refuses, at start-up, a bootstrap API key that is short or a documented sample: the process does not start, and
/// says why. Checked whenever the key is set, even once users exist, so a weak value is never left in configuration.
/// </summary>
public sealed class BootstrapOptionsValidator : IValidateOptions<BootstrapOptions>
{
    public ValidateOptionsResult Validate(string? name, BootstrapOptions options)
    {
        var key = options.AdminApiKey?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return ValidateOptionsResult.Success;
        }
        if (BootstrapOptions.SampleApiKeys.Contains(key, StringComparer.OrdinalIgnoreCase)
            || key.Contains("CHANGEME", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail(
                "Bootstrap:AdminApiKey is a sample value from the documentation: generate a key of your own, e.g. \"API-$(openssl rand -hex 24)\".");
        }
        return key.Length < BootstrapOptions.MinApiKeyLength
            ? ValidateOptionsResult.Fail(
                $"Bootstrap:AdminApiKey has {key.Length} characters; it needs at least {BootstrapOptions.MinApiKeyLength}. " +
                "Generate one, e.g. \"API-$(openssl rand -hex 24)\".")
            : ValidateOptionsResult.Success;
    }
}

public static class BootstrapRegistration
{
    /// <summary>The Bootstrap section, validated when the host starts.</summary>
    public static IServiceCollection AddBootstrap(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<BootstrapOptions>, BootstrapOptionsValidator>();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.Section)).ValidateOnStart();
        return services;
    }
}
