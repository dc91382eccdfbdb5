using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OverrideEnvironmentKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AutoDeployOverrides_EnvironmentId",
                table: "AutoDeployOverrides",
                column: "EnvironmentId");

            migrationBuilder.AddForeignKey(
                name: "FK_AutoDeployOverrides_Environments_EnvironmentId",
                table: "AutoDeployOverrides",
                column: "EnvironmentId",
                principalTable: "Environments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AutoDeployOverrides_Environments_EnvironmentId",
                table: "AutoDeployOverrides");

            migrationBuilder.DropIndex(
                name: "IX_AutoDeployOverrides_EnvironmentId",
                table: "AutoDeployOverrides");
        }
    }
}
