namespace AutoDeploy.Web.Data.Migrations;

/// <summary>The data half of the RoleAssignments migration, the same SQL on SQLite and PostgreSQL.</summary>
internal static class RoleAssignmentsSql
{
    private const string MembersOf = """
        FROM "AspNetUserRoles" ur JOIN "AspNetRoles" r ON r."Id" = ur."RoleId" WHERE r."Name" = 
        """;

    public const string Up = $"""
        INSERT INTO "UserRoleAssignments" ("UserId", "Role", "EnvironmentIds", "ProjectIds")
        SELECT ur."UserId", 'ProjectEditor', '[]', '[]' {MembersOf}'Deployer';
        INSERT INTO "UserRoleAssignments" ("UserId", "Role", "EnvironmentIds", "ProjectIds")
        SELECT ur."UserId", 'Deployer', '[]', '[]' {MembersOf}'Deployer';
        INSERT INTO "UserRoleAssignments" ("UserId", "Role", "EnvironmentIds", "ProjectIds")
        SELECT ur."UserId", 'Viewer', '[]', '[]' {MembersOf}'Viewer';
        DELETE FROM "AspNetUserRoles" WHERE "RoleId" IN (SELECT "Id" FROM "AspNetRoles" WHERE "Name" IN ('Deployer', 'Viewer'));
        """;

    /// <summary>Back to one coarse role: Deployer for whoever could deploy or edit, else Viewer; scopes are lost.</summary>
    public const string Down = """
        INSERT INTO "AspNetUserRoles" ("UserId", "RoleId")
        SELECT DISTINCT a."UserId", r."Id" FROM "UserRoleAssignments" a JOIN "AspNetRoles" r ON r."Name" = 'Deployer'
        WHERE a."Role" IN ('ProjectEditor', 'Deployer')
          AND NOT EXISTS (SELECT 1 FROM "AspNetUserRoles" ur WHERE ur."UserId" = a."UserId");
        INSERT INTO "AspNetUserRoles" ("UserId", "RoleId")
        SELECT DISTINCT a."UserId", r."Id" FROM "UserRoleAssignments" a JOIN "AspNetRoles" r ON r."Name" = 'Viewer'
        WHERE NOT EXISTS (SELECT 1 FROM "AspNetUserRoles" ur WHERE ur."UserId" = a."UserId");
        """;
}
