using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EnrolmentTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EnrolmentTokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SecretHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hint = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Roles = table.Column<List<string>>(type: "text[]", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    MaxUses = table.Column<int>(type: "integer", nullable: true),
                    Uses = table.Column<int>(type: "integer", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastUsedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NormalizedName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EnrolmentTokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EnrolmentTokenEnvironments",
                columns: table => new
                {
                    EnrolmentTokenId = table.Column<int>(type: "integer", nullable: false),
                    EnvironmentId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EnrolmentTokenEnvironments", x => new { x.EnrolmentTokenId, x.EnvironmentId });
                    table.ForeignKey(
                        name: "FK_EnrolmentTokenEnvironments_EnrolmentTokens_EnrolmentTokenId",
                        column: x => x.EnrolmentTokenId,
                        principalTable: "EnrolmentTokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EnrolmentTokenEnvironments_Environments_EnvironmentId",
                        column: x => x.EnvironmentId,
                        principalTable: "Environments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EnrolmentTokenPolicies",
                columns: table => new
                {
                    EnrolmentTokenId = table.Column<int>(type: "integer", nullable: false),
                    PolicyId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EnrolmentTokenPolicies", x => new { x.EnrolmentTokenId, x.PolicyId });
                    table.ForeignKey(
                        name: "FK_EnrolmentTokenPolicies_EnrolmentTokens_EnrolmentTokenId",
                        column: x => x.EnrolmentTokenId,
                        principalTable: "EnrolmentTokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EnrolmentTokenPolicies_MachinePolicies_PolicyId",
                        column: x => x.PolicyId,
                        principalTable: "MachinePolicies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EnrolmentTokenEnvironments_EnvironmentId",
                table: "EnrolmentTokenEnvironments",
                column: "EnvironmentId");

            migrationBuilder.CreateIndex(
                name: "IX_EnrolmentTokenPolicies_PolicyId",
                table: "EnrolmentTokenPolicies",
                column: "PolicyId");

            migrationBuilder.CreateIndex(
                name: "IX_EnrolmentTokens_NormalizedName",
                table: "EnrolmentTokens",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EnrolmentTokens_SecretHash",
                table: "EnrolmentTokens",
                column: "SecretHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EnrolmentTokenEnvironments");

            migrationBuilder.DropTable(
                name: "EnrolmentTokenPolicies");

            migrationBuilder.DropTable(
                name: "EnrolmentTokens");
        }
    }
}
