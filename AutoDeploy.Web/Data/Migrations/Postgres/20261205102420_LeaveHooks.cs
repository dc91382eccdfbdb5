using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LeaveHooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Action",
                table: "Triggers",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "DeployRelease"); // existing triggers deploy, as they did

            migrationBuilder.AddColumn<string>(
                name: "Leaving",
                table: "Deployments",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Action",
                table: "Triggers");

            migrationBuilder.DropColumn(
                name: "Leaving",
                table: "Deployments");
        }
    }
}
