using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RetentionPermits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    GrantedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionPermits", x => x.Id);
                });

            // The append-only rule's one exception: a transaction holding a retention permit may delete (never update) events.
            migrationBuilder.Sql("DROP TRIGGER \"Events_no_delete\";");
            migrationBuilder.Sql("CREATE TRIGGER \"Events_no_delete\" BEFORE DELETE ON \"Events\" WHEN NOT EXISTS (SELECT 1 FROM \"RetentionPermits\") " +
                "BEGIN SELECT RAISE(ABORT, 'Events are append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER \"Events_no_delete\";");
            migrationBuilder.Sql("CREATE TRIGGER \"Events_no_delete\" BEFORE DELETE ON \"Events\" BEGIN SELECT RAISE(ABORT, 'Events are append-only'); END;");
            migrationBuilder.DropTable(
                name: "RetentionPermits");
        }
    }
}
