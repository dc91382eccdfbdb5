using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HealthChecks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "HealthCheckRunId",
                table: "TaskLogLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "NextHealthCheckAt",
                table: "Machines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "HealthCheckRunId",
                table: "MachineJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "HealthCheckRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EnvironmentId = table.Column<int>(type: "INTEGER", nullable: true),
                    MachineId = table.Column<int>(type: "INTEGER", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HealthCheckRuns", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TaskLogLines_HealthCheckRunId_Id",
                table: "TaskLogLines",
                columns: new[] { "HealthCheckRunId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Machines_LastSeenAt",
                table: "Machines",
                column: "LastSeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_Machines_NextHealthCheckAt",
                table: "Machines",
                column: "NextHealthCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_MachineJobs_HealthCheckRunId",
                table: "MachineJobs",
                column: "HealthCheckRunId");

            migrationBuilder.CreateIndex(
                name: "IX_MachineJobs_Kind_State",
                table: "MachineJobs",
                columns: new[] { "Kind", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_HealthCheckRuns_State",
                table: "HealthCheckRuns",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HealthCheckRuns");

            migrationBuilder.DropIndex(
                name: "IX_TaskLogLines_HealthCheckRunId_Id",
                table: "TaskLogLines");

            migrationBuilder.DropIndex(
                name: "IX_Machines_LastSeenAt",
                table: "Machines");

            migrationBuilder.DropIndex(
                name: "IX_Machines_NextHealthCheckAt",
                table: "Machines");

            migrationBuilder.DropIndex(
                name: "IX_MachineJobs_HealthCheckRunId",
                table: "MachineJobs");

            migrationBuilder.DropIndex(
                name: "IX_MachineJobs_Kind_State",
                table: "MachineJobs");

            migrationBuilder.DropColumn(
                name: "HealthCheckRunId",
                table: "TaskLogLines");

            migrationBuilder.DropColumn(
                name: "NextHealthCheckAt",
                table: "Machines");

            migrationBuilder.DropColumn(
                name: "HealthCheckRunId",
                table: "MachineJobs");
        }
    }
}
