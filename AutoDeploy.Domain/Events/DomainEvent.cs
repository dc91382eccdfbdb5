namespace AutoDeploy.Domain.Events;

/// <summary>
/// Something significant that happened to a document. Raised by the document, turned into a row of
/// the Event table by the one listener in the same transaction as the change.
/// </summary>
/// <param name="Covers">
/// The document's properties whose change this event tells; the listener records any other audited change of the
/// same save as a Modified event beside it. Null: the event tells every change of the save.
/// </param>
public sealed record DomainEvent(string Category, string Message, EventLinks? Links = null, object? Details = null,
    IReadOnlyCollection<string>? Covers = null);

/// <summary>Ids of other documents an event relates to, beside the document that raised it.</summary>
public sealed record EventLinks(
    int? MachineId = null,
    int? EnvironmentId = null,
    int? PolicyId = null,
    int? ProjectId = null,
    int? ReleaseId = null,
    int? DeploymentId = null,
    int? TriggerId = null);
