namespace AutoDeploy.Web.Data;

/// <summary>
/// The one exception to the Event table's append-only rule. The database's triggers let a transaction delete events only
/// while a permit row exists; the retention sweep inserts one, deletes old events and removes the permit, all in one
/// transaction, so no other transaction ever sees a permit (MVCC on PostgreSQL, one writer on SQLite).
/// </summary>
public sealed class RetentionPermit
{
    public long Id { get; set; }
    public DateTimeOffset GrantedAt { get; init; }
}
