using AutoDeploy.Domain.Permissions;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AutoDeploy.Tests.Permissions;

/// <summary>
/// The RoleAssignments migration keeps everyone's rights: a Deployer becomes Project editor + Deployer, a Viewer a Viewer,
/// unscoped; an Administrator stays Identity's Administrator. (SQLite: the migration's SQL is the same on PostgreSQL.)
/// </summary>
public sealed class RoleAssignmentMigrationTests : IAsyncLifetime
{
    private const string Before = "20261205133818_Retention";
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Existing_role_memberships_become_unscoped_assignments_with_the_same_rights()
    {
        await using (var db = _database.CreateDbContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
            foreach (var (user, role) in new[] { ("admin", "Administrator"), ("dora", "Deployer"), ("vera", "Viewer") })
            {
                db.Roles.Add(new IdentityRole(role) { Id = role, NormalizedName = role.ToUpperInvariant() });
                db.Users.Add(new AutoDeployUser { Id = user, UserName = user, Email = $"{user}@old.test" });
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user, RoleId = role });
            }
            await db.SaveChangesAsync();
        }

        await using (var db = _database.CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        await using var after = _database.CreateDbContext();
        Assert.Equal([AssignedRoles.Administrator], await RolesAsync(after, "admin"));
        Assert.Equal([AssignedRoles.ProjectEditor, AssignedRoles.Deployer], await RolesAsync(after, "dora"));
        Assert.Equal([AssignedRoles.Viewer], await RolesAsync(after, "vera"));
        Assert.Equal(["Administrator"], await after.UserRoles.Select(ur => ur.RoleId).ToListAsync());
        var dora = new Access("dora", await AccessLoader.AssignmentsAsync(after, "dora", CancellationToken.None));
        Assert.True(dora.Can(Permission.EditProject, 1) && dora.Can(Permission.Deploy, 1, 2) && !dora.Can(Permission.Administer));
    }

    private static async Task<List<string>> RolesAsync(AutoDeployDbContext db, string userId) =>
        (await AccessLoader.AssignmentsAsync(db, userId, CancellationToken.None))
        .Select(a => a.IsUnscoped ? a.Role : "scoped").ToList();
}
