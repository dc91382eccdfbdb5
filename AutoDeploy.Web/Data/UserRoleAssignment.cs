using AutoDeploy.Domain.Permissions;

namespace AutoDeploy.Web.Data;

/// <summary>
/// A role a user holds, limited to environments and projects (empty: all). The Administrator role is not stored here: it
/// stays Identity's role membership, which sign-in, the last-administrator rule and the bootstrap set-up rely on
/// (docs/architecture.md §15).
/// </summary>
public sealed class UserRoleAssignment
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Role { get; set; }
    public List<int> EnvironmentIds { get; set; } = [];
    public List<int> ProjectIds { get; set; } = [];

    public RoleAssignment ToAssignment() => new(Role, EnvironmentIds, ProjectIds);
}
