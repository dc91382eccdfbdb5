using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Triggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AutoDeployClaims",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MachineId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReleaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    DeploymentId = table.Column<int>(type: "INTEGER", nullable: false),
                    IsOpen = table.Column<bool>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutoDeployClaims", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AutoDeployCursors",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LastEventId = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutoDeployCursors", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "AutoDeployOverrides",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProjectId = table.Column<int>(type: "INTEGER", nullable: false),
                    EnvironmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReleaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReleaseVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutoDeployOverrides", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AutoDeployOverrides_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AutoDeployOverrides_Releases_ReleaseId",
                        column: x => x.ReleaseId,
                        principalTable: "Releases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Triggers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProjectId = table.Column<int>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    IsEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    EnvironmentIds = table.Column<string>(type: "TEXT", nullable: false),
                    Roles = table.Column<string>(type: "TEXT", nullable: false),
                    EventGroups = table.Column<string>(type: "TEXT", nullable: false),
                    EventCategories = table.Column<string>(type: "TEXT", nullable: false),
                    Redeploy = table.Column<bool>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Triggers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Triggers_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AutoDeployClaims_DeploymentId",
                table: "AutoDeployClaims",
                column: "DeploymentId");

            migrationBuilder.CreateIndex(
                name: "IX_AutoDeployClaims_MachineId_ReleaseId_IsOpen",
                table: "AutoDeployClaims",
                columns: new[] { "MachineId", "ReleaseId", "IsOpen" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AutoDeployOverrides_ProjectId_EnvironmentId",
                table: "AutoDeployOverrides",
                columns: new[] { "ProjectId", "EnvironmentId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AutoDeployOverrides_ReleaseId",
                table: "AutoDeployOverrides",
                column: "ReleaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Triggers_ProjectId_NormalizedName",
                table: "Triggers",
                columns: new[] { "ProjectId", "NormalizedName" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AutoDeployClaims");

            migrationBuilder.DropTable(
                name: "AutoDeployCursors");

            migrationBuilder.DropTable(
                name: "AutoDeployOverrides");

            migrationBuilder.DropTable(
                name: "Triggers");
        }
    }
}
