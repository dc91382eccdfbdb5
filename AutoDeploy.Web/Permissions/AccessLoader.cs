using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Permissions;

/// <summary>
/// Reads a user's <see cref="Access"/>: the Administrator role (Identity's membership), the stored assignments, and for a
/// membership of the former coarse roles still held (written before assignments existed) what it meant, unscoped:
/// Deployer = Project editor + Deployer, Viewer = Viewer. A disabled or deleted user has none.
/// </summary>
public sealed class AccessLoader(IDbContextFactory<AutoDeployDbContext> factory)
{
    /// <summary>The Identity roles of before assignments, and the assignments each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> CoarseRoles = new Dictionary<string, IReadOnlyList<string>>
    {
        [AssignedRoles.Administrator] = [AssignedRoles.Administrator],
        ["Deployer"] = [AssignedRoles.ProjectEditor, AssignedRoles.Deployer],
        ["Viewer"] = [AssignedRoles.Viewer],
    };

    public async Task<Access> LoadAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.DisabledAt == null, cancellationToken))
        {
            return Access.None;
        }
        return new Access(userId, await AssignmentsAsync(db, userId, cancellationToken));
    }

    /// <summary>Every assignment of the user, the Administrator role first.</summary>
    public static async Task<List<RoleAssignment>> AssignmentsAsync(AutoDeployDbContext db, string userId, CancellationToken cancellationToken)
    {
        var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name)
            .ToListAsync(cancellationToken);
        var stored = await db.UserRoleAssignments.AsNoTracking().Where(a => a.UserId == userId).OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        return roles.OfType<string>().Where(CoarseRoles.ContainsKey).OrderBy(r => r == AssignedRoles.Administrator ? 0 : 1)
            .SelectMany(r => CoarseRoles[r]).Select(RoleAssignment.Unscoped)
            .Concat(stored.Select(a => a.ToAssignment()))
            .ToList();
    }
}
