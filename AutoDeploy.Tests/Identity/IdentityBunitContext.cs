using System.Security.Claims;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Bunit;
using Bunit.TestDoubles;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Identity;

/// <summary>bUnit with MudBlazor, real Identity stores on a migrated SQLite file, the three roles and a fake signed-in user.</summary>
public abstract class IdentityBunitContext : MudBunitContext
{
    protected IdentityBunitContext() => Authorization = AddAuthorization();

    protected BunitAuthorizationContext Authorization { get; }
    protected SqliteDatabase Database { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Database = await SqliteDatabase.CreateAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(Database);
        Services.AddScoped<AutoDeployDbContext>(_ => Database.CreateDbContext());
        Services.AddSingleton(Database.Time);
        Services.AddLogging();
        Services.AddIdentityCore<AutoDeployUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<AutoDeployDbContext>();
        Services.AddSingleton<IValidator<NewUserInput>, NewUserInputValidator>();
        Services.AddSingleton<IValidator<List<RoleAssignmentInput>>, RoleAssignmentListValidator>();
        Services.AddSingleton<SetupState>();
        Services.AddScoped<UserService>();
        Services.AddScoped<ApiKeyService>();

        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            await roles.CreateAsync(new IdentityRole(role));
        }
    }

    protected override async Task OnDisposedAsync() => await Database.DisposeAsync();

    protected async Task<UserSummary> CreateUserAsync(string role, string? email = null)
    {
        var result = await Services.GetRequiredService<UserService>().CreateAsync(new NewUserInput
        {
            Email = email ?? $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@autodeploy.test",
            Password = "Some-Passw0rd!",
            Role = role,
        });
        return result.Value ?? throw new InvalidOperationException(result.Result.Message);
    }

    protected void SignInAs(UserSummary user)
    {
        Authorization.SetAuthorized(user.Email);
        Authorization.SetRoles(user.Role);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
    }
}
