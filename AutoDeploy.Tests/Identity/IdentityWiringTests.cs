using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Identity;

/// <summary>On SQLite only: the subject is how Identity is wired into the app, not the database under it.</summary>
[Trait("Database", "SqliteOnly")]
public sealed class IdentityWiringTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void Circuits_revalidate_their_user()
    {
        using var scope = _app.Services.CreateScope();

        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();

        Assert.IsType<RevalidatingIdentityStateProvider>(provider);
    }

    [Fact]
    public async Task The_keys_that_protect_sign_in_cookies_are_kept_in_the_database()
    {
        await new BrowserClient(_app).SignInAsync(AutoDeployAppFactory.AdminEmail, AutoDeployAppFactory.AdminPassword);

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
    }
}
