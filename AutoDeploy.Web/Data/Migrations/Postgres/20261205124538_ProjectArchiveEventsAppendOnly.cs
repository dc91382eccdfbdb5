using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoDeploy.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProjectArchiveEventsAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsArchived",
                table: "Projects",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Row triggers (Initial) refuse UPDATE and DELETE; TRUNCATE skips them and needs its own statement trigger.
            migrationBuilder.Sql("CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON \"Events\" FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS events_no_truncate ON \"Events\";");

            migrationBuilder.DropColumn(
                name: "IsArchived",
                table: "Projects");
        }
    }
}
