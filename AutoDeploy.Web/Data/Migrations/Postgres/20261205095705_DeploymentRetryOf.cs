using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeploymentRetryOf : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RetryOfDeploymentId",
                table: "Deployments",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deployments_RetryOfDeploymentId",
                table: "Deployments",
                column: "RetryOfDeploymentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deployments_RetryOfDeploymentId",
                table: "Deployments");

            migrationBuilder.DropColumn(
                name: "RetryOfDeploymentId",
                table: "Deployments");
        }
    }
}
