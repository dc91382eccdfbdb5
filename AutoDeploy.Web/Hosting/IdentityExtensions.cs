using AutoDeploy.Web.Api;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Permissions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;

namespace AutoDeploy.Web.Hosting;

/// <summary>Sign-in with ASP.NET Core Identity cookies in the browser and API keys for automation.</summary>
public static class IdentityExtensions
{
    private const string CookieOrApiKey = "CookieOrApiKey";

    public static WebApplicationBuilder AddAutoDeployIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddBootstrap(builder.Configuration);
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrApiKey;
                o.DefaultChallengeScheme = CookieOrApiKey;
            })
            .AddPolicyScheme(CookieOrApiKey, "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKey.HeaderName) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/access-denied";
            // The API answers 401/403; only pages redirect to the sign-in screen.
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization(Policies.Add);
        services.AddPermissions();
        services.AddIdentityCore<AutoDeployUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AutoDeployDbContext>()
            .AddSignInManager<AutoDeploySignInManager>()
            .AddDefaultTokenProviders();
        // Role changes and deletions reach signed-in browsers within a minute (cookie and circuit alike).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = RevalidatingIdentityStateProvider.Interval);
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddScoped<CircuitHandler, ActorCircuitHandler>();
        services.AddAutoDeployDataProtection(builder.Configuration);
        services.AddSingleton<SetupState>().AddSingleton<SetupToken>();
        services.AddSignInLimits(builder.Configuration);
        services.AddScoped<UserService>();
        services.AddScoped<ApiKeyService>();
        services.AddHostedService<IdentityInitializer>();
        return builder;
    }

    public static WebApplication UseAutoDeployIdentity(this WebApplication app)
    {
        app.UseAuthentication();
        // Before authorization: its policies and the services ask the request's access of this user.
        app.Use((context, next) =>
        {
            context.RequestServices.GetRequiredService<CurrentAccess>().UseRequestUser(context.User);
            return next(context);
        });
        app.UseFailedApiKeyLimit();
        // Before authorization, so that requests it would refuse (a guessed API key) count against their address too.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            using (ActorContext.Use(context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null))
            {
                await next(context);
            }
        });
        return app;
    }

    public static WebApplication MapAutoDeployIdentity(this WebApplication app)
    {
        app.MapGroup("/api").MapUsersApi();
        app.MapPost("/account/logout", async Task<IResult> (HttpContext context, SignInManager<AutoDeployUser> signIn) =>
            {
                // UseAntiforgery validated the token (the metadata below asks for it); refuse a forged sign-out.
                if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
                {
                    return TypedResults.BadRequest("The sign-out form has expired: reload the page and sign out again.");
                }
                await signIn.SignOutAsync();
                return TypedResults.LocalRedirect("~/account/login");
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();
        return app;
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (ApiRefusal.IsApi(context.HttpContext))
        {
            ApiRefusal.Send(context.HttpContext, status);
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
