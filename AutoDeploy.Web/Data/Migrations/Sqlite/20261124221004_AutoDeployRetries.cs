using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AutoDeployRetries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AutoDeployRetries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MachineId = table.Column<int>(type: "INTEGER", nullable: false),
                    TriggerId = table.Column<int>(type: "INTEGER", nullable: false),
                    EnvironmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReleaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EventIds = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutoDeployRetries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Events_DeploymentId",
                table: "Events",
                column: "DeploymentId");

            migrationBuilder.CreateIndex(
                name: "IX_AutoDeployRetries_DueAt",
                table: "AutoDeployRetries",
                column: "DueAt");

            migrationBuilder.CreateIndex(
                name: "IX_AutoDeployRetries_MachineId",
                table: "AutoDeployRetries",
                column: "MachineId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AutoDeployRetries");

            migrationBuilder.DropIndex(
                name: "IX_Events_DeploymentId",
                table: "Events");
        }
    }
}
