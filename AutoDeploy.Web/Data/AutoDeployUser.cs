using Microsoft.AspNetCore.Identity;

namespace AutoDeploy.Web.Data;

public sealed class AutoDeployUser : IdentityUser
{
    public string? DisplayName { get; set; }
}
