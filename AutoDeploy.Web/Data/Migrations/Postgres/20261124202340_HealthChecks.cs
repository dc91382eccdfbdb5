using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Postgres
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
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NextHealthCheckAt",
                table: "Machines",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "HealthCheckRunId",
                table: "MachineJobs",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "HealthCheckRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EnvironmentId = table.Column<int>(type: "integer", nullable: true),
                    MachineId = table.Column<int>(type: "integer", nullable: true),
                    Title = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    QueuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
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
