using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// Creates the roles and, from the Bootstrap configuration, the first administrator and API key in one transaction;
/// while set-up stays open, issues the set-up token.
/// </summary>
public sealed class IdentityInitializer(IServiceScopeFactory scopes, IOptions<BootstrapOptions> bootstrap, TimeProvider time,
    SetupState setup, SetupToken setupToken, ILogger<IdentityInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutoDeployDbContext>();
        // Nodes starting together take turns, so the roles and the bootstrap administrator are created once.
        await using var turn = await DatabaseInitializer.StartupLockAsync(db, cancellationToken);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the role {role}");
            }
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AutoDeployUser>>();
        if (!await users.Users.AnyAsync(cancellationToken) && !string.IsNullOrWhiteSpace(bootstrap.Value.AdminEmail))
        {
            await CreateBootstrapAdministratorAsync(db, users, bootstrap.Value, cancellationToken);
        }
        if (await setup.IsCompleteAsync(cancellationToken))
        {
            setupToken.Retire(); // a file left by a run that stopped before set-up completed
        }
        else
        {
            setupToken.Issue();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The user, their role and the API key commit together: a failure leaves no user, so set-up stays open.</summary>
    private async Task CreateBootstrapAdministratorAsync(AutoDeployDbContext db, UserManager<AutoDeployUser> users, BootstrapOptions options,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.AdminPassword))
        {
            throw new InvalidOperationException("Bootstrap:AdminEmail is set but Bootstrap:AdminPassword is empty.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var admin = new AutoDeployUser { UserName = options.AdminEmail, Email = options.AdminEmail, EmailConfirmed = true };
        Check(await users.CreateAsync(admin, options.AdminPassword), "create the bootstrap administrator");
        Check(await users.AddToRoleAsync(admin, Roles.Administrator), "make the bootstrap user an administrator");
        if (!string.IsNullOrWhiteSpace(options.AdminApiKey))
        {
            db.ApiKeys.Add(ApiKey.Create(admin.Id, "Bootstrap", options.AdminApiKey.Trim(), time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Created the bootstrap administrator {Email}", options.AdminEmail);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
