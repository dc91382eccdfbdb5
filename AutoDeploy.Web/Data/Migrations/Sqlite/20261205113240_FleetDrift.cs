using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FleetDrift : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_MachineId",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_DeploymentTargets_MachineId_State",
                table: "DeploymentTargets");

            migrationBuilder.CreateIndex(
                name: "IX_Events_MachineId_TriggerId",
                table: "Events",
                columns: new[] { "MachineId", "TriggerId" });

            migrationBuilder.CreateIndex(
                name: "IX_DeploymentTargets_MachineId_State_DeploymentId",
                table: "DeploymentTargets",
                columns: new[] { "MachineId", "State", "DeploymentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_MachineId_TriggerId",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_DeploymentTargets_MachineId_State_DeploymentId",
                table: "DeploymentTargets");

            migrationBuilder.CreateIndex(
                name: "IX_Events_MachineId",
                table: "Events",
                column: "MachineId");

            migrationBuilder.CreateIndex(
                name: "IX_DeploymentTargets_MachineId_State",
                table: "DeploymentTargets",
                columns: new[] { "MachineId", "State" });
        }
    }
}
