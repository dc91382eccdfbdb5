using Microsoft.AspNetCore.Identity;

namespace AutoDeploy.Web.Data;

public sealed class AutoDeployUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>When an administrator disabled the user: they cannot sign in and their API keys are refused until enabled.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}
