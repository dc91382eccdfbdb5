namespace AutoDeploy.Domain.Events;

/// <summary>Anything that raises domain events: documents, releases, deployments.</summary>
public abstract class EventSource
{
    private readonly List<DomainEvent> _domainEvents = [];

    public int Id { get; set; }

    /// <summary>The type as events and the audit log name it, e.g. "Environment".</summary>
    public abstract string DocumentType { get; }

    public IReadOnlyList<DomainEvent> DomainEvents => _domainEvents;

    public void ClearDomainEvents() => _domainEvents.Clear();

    protected void Raise(DomainEvent domainEvent) => _domainEvents.Add(domainEvent);
}
