using Microsoft.AspNetCore.Identity;

namespace AutoDeploy.Web.Identity;

public sealed class AutoDeployUser : IdentityUser
{
    public string? DisplayName { get; set; }
}
