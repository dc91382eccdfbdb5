using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace AutoDeploy.Web.Data;

public static class ChangeTrackerExtensions
{
    /// <summary>
    /// The tracked entries of a type as last detected: <c>Entries&lt;T&gt;()</c> scans every tracked entity for changes
    /// first, and a save that asked it three times (the event recorder twice, the claim closer once) scanned a context
    /// holding 1,000 jobs and targets three times before EF's own scan. Callers detect once where they need it.
    /// </summary>
    public static List<EntityEntry<T>> EntriesAsDetected<T>(this ChangeTracker tracker) where T : class
    {
        var detecting = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return [.. tracker.Entries<T>()];
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detecting;
        }
    }
}
