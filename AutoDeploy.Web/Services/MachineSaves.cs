using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>Saving a machine: a stale copy, a vanished machine and a taken name each get their own answer.</summary>
internal static class MachineSaves
{
    public static async Task<SaveResult> SaveAsync(AutoDeployDbContext db, string name, int? id, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return SaveResult.Saved;
        }
        catch (DbUpdateConcurrencyException) when (id is not null)
        {
            return await db.Machines.AsNoTracking().AnyAsync(m => m.Id == id, cancellationToken)
                ? SaveResult.Stale("machine")
                : SaveResult.NotFound($"Machine {id} was not found.");
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            // Another save may have taken the name between our check and our write.
            if (await NameTakenAsync(db, name, id, cancellationToken))
            {
                return NameConflict(name);
            }
            throw;
        }
    }

    public static Task<bool> NameTakenAsync(AutoDeployDbContext db, string name, int? exceptId, CancellationToken cancellationToken)
    {
        var normalized = Document.Normalize(name);
        return db.Machines.AsNoTracking().AnyAsync(m => m.NormalizedName == normalized && m.Id != exceptId, cancellationToken);
    }

    public static SaveResult NameConflict(string name) => SaveResult.Conflict($"A machine named '{name.Trim()}' already exists.");
}
