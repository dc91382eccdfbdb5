using AutoDeploy.Domain.Events;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Data;

/// <summary>
/// The one way a kind of named, versioned document is saved. A name is unique without regard to case among the
/// documents of a scope (all of the kind, or a project's triggers). Someone else's save since the user loaded the
/// document makes a save Stale, and a name taken by another save between the check and the write is the same
/// Conflict as the check's, beside the name field; both are 409 in the REST API.
/// </summary>
public sealed class DocumentSaves<T>(string label, Func<string, string> nameTaken) where T : Document
{
    /// <summary>How messages call the document: "environment", "machine policy".</summary>
    public string Label => label;

    public Task<bool> TakenAsync(IQueryable<T> scope, string name, int? exceptId, CancellationToken cancellationToken)
    {
        var normalized = Document.Normalize(name);
        return scope.AnyAsync(d => d.NormalizedName == normalized && d.Id != exceptId, cancellationToken);
    }

    public SaveResult Conflict(string name)
    {
        var message = nameTaken(name.Trim());
        return new SaveResult(SaveStatus.Conflict, message, new Dictionary<string, string[]> { [nameof(Document.Name)] = [message] });
    }

    /// <summary>
    /// True when <paramref name="version"/>, the one the user loaded, is no longer the document's; otherwise the save
    /// is made to check it, so that a save landing between this read and ours is refused too. No version: the last save wins.
    /// </summary>
    public bool IsStale(AutoDeployDbContext db, T document, int? version)
    {
        if (version is not { } loaded)
        {
            return false;
        }
        if (loaded != document.Version)
        {
            return true;
        }
        db.Entry(document).Property(d => d.Version).OriginalValue = loaded;
        return false;
    }

    /// <summary>Saves a document whose name may have changed: Stale or Conflict as above; any other refusal is thrown.</summary>
    public async Task<SaveResult> SaveAsync(AutoDeployDbContext db, IQueryable<T> scope, string name, int? exceptId,
        CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return SaveResult.Saved;
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveResult.Stale(label);
        }
        catch (DbUpdateException)
        {
            // Someone took the name between the check and the save: the unique index refused it.
            if (await TakenAsync(scope, name, exceptId, cancellationToken))
            {
                return Conflict(name);
            }
            throw;
        }
    }

    /// <summary>Saves a change that leaves names alone (a delete, a new order): Stale if someone saved since.</summary>
    public async Task<SaveResult> SaveAsync(AutoDeployDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return SaveResult.Saved;
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveResult.Stale(label);
        }
    }
}
