using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// Identity's sign-in, refusing disabled users (the sign-in page answers as for a wrong password), and ignoring the
/// account's lockout for a browser that has signed in to it before (<see cref="KnownBrowsers"/>).
/// </summary>
public sealed class AutoDeploySignInManager(
    UserManager<AutoDeployUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AutoDeployUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AutoDeployUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AutoDeployUser> confirmation,
    KnownBrowsers knownBrowsers)
    : SignInManager<AutoDeployUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AutoDeployUser user) =>
        user.DisabledAt is null && await base.CanSignInAsync(user);

    protected override async Task<bool> IsLockedOut(AutoDeployUser user) =>
        !knownBrowsers.IsKnown(Context, user.Id) && await base.IsLockedOut(user);
}
