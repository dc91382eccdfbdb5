using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>Saving a machine, by a user or at its agent's registration: as every named document, and a vanished machine is not found.</summary>
internal static class MachineSaves
{
    public static readonly DocumentSaves<Machine> Names = new("machine", name => $"A machine named '{name}' already exists.");

    public static async Task<SaveResult> SaveAsync(AutoDeployDbContext db, string name, int? id, CancellationToken cancellationToken)
    {
        var saved = await Names.SaveAsync(db, db.Machines, name, id, cancellationToken);
        // Deleted meanwhile (by a user, its agent or its policy's clean-up): the machine is gone rather than changed.
        return saved.Status == SaveStatus.Stale && id is not null && !await db.Machines.AnyAsync(m => m.Id == id, cancellationToken)
            ? SaveResult.NotFound($"Machine {id} was not found.")
            : saved;
    }
}
