namespace AutoDeploy.Web.Identity;

/// <summary>
/// The <c>Bootstrap</c> section: headless set-up of the first administrator and an API key with
/// exactly the given value, applied only while no user exists.
/// </summary>
public sealed class BootstrapOptions
{
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string? AdminApiKey { get; set; }
}
