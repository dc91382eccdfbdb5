using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeploymentLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExecutingNode",
                table: "Deployments",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LeaseExpiresAt",
                table: "Deployments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deployments_OneExecutingPerProjectAndEnvironment",
                table: "Deployments",
                columns: new[] { "ProjectId", "EnvironmentId" },
                unique: true,
                filter: "\"State\" = 'Executing'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deployments_OneExecutingPerProjectAndEnvironment",
                table: "Deployments");

            migrationBuilder.DropColumn(
                name: "ExecutingNode",
                table: "Deployments");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "Deployments");
        }
    }
}
