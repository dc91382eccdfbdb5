using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Identity;

/// <summary>Creates the roles and, from the Bootstrap configuration, the first administrator and API key.</summary>
public sealed class IdentityInitializer(IServiceScopeFactory scopes, IOptions<BootstrapOptions> bootstrap, TimeProvider time,
    ILogger<IdentityInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        // Nodes starting together take turns, so the roles and the bootstrap administrator are created once.
        await using var turn = await DatabaseInitializer.StartupLockAsync(
            scope.ServiceProvider.GetRequiredService<AutoDeployDbContext>(), cancellationToken);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the role {role}");
            }
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AutoDeployUser>>();
        var options = bootstrap.Value;
        if (string.IsNullOrWhiteSpace(options.AdminEmail) || await users.Users.AnyAsync(cancellationToken))
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(options.AdminPassword))
        {
            throw new InvalidOperationException("Bootstrap:AdminEmail is set but Bootstrap:AdminPassword is empty.");
        }
        var admin = new AutoDeployUser { UserName = options.AdminEmail, Email = options.AdminEmail, EmailConfirmed = true };
        Check(await users.CreateAsync(admin, options.AdminPassword), "create the bootstrap administrator");
        Check(await users.AddToRoleAsync(admin, Roles.Administrator), "make the bootstrap user an administrator");
        if (!string.IsNullOrWhiteSpace(options.AdminApiKey))
        {
            var db = scope.ServiceProvider.GetRequiredService<AutoDeployDbContext>();
            db.ApiKeys.Add(ApiKey.Create(admin.Id, "Bootstrap", options.AdminApiKey.Trim(), time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }
        logger.LogInformation("Created the bootstrap administrator {Email}", options.AdminEmail);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
