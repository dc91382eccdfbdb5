using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MachineId = table.Column<int>(type: "integer", nullable: false),
                    TriggerId = table.Column<int>(type: "integer", nullable: false),
                    EnvironmentId = table.Column<int>(type: "integer", nullable: false),
                    ReleaseId = table.Column<int>(type: "integer", nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EventIds = table.Column<List<long>>(type: "bigint[]", nullable: false)
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
