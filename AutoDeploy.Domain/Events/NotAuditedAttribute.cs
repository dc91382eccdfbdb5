namespace AutoDeploy.Domain.Events;

/// <summary>
/// Marks operational state (last contact, next check due) that changes all the time: changing only such
/// properties records no Modified event and does not bump the document's concurrency version.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotAuditedAttribute : Attribute;
