using AutoDeploy.Web.Backup;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;

namespace AutoDeploy.Web.Api;

/// <summary><c>/api/backup</c>: a consistent backup of a single-node server on SQLite, for administrators.</summary>
public static class BackupApi
{
    public static RouteGroupBuilder MapBackupApi(this RouteGroupBuilder api)
    {
        api.MapGet("/backup", async Task<IResult> (HttpContext context, BackupService backup, TimeProvider time, CancellationToken cancellationToken) =>
            {
                if (!await backup.IsSupportedAsync(cancellationToken))
                {
                    return SaveResult.Conflict("This server runs on PostgreSQL: back it up with pg_dump, the key ring's certificate and the packages folder (README, Backup and restore).").ToProblem();
                }
                var name = $"autodeploy-backup-{time.GetUtcNow():yyyyMMdd-HHmmss}.tar.gz";
                return Results.Stream(stream => backup.WriteAsync(stream, cancellationToken), "application/gzip", name);
            })
            .WithTags("Backup")
            .RequireAuthorization(Policies.Administer)
            .Produces(StatusCodes.Status200OK, contentType: "application/gzip")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A consistent backup of the running server (SQLite only): the database snapshot and the package files, as .tar.gz");
        return api;
    }
}
