using AutoDeploy.Domain.Events;

namespace AutoDeploy.Web.Data;

/// <summary>An event collected before a save, completed with the document's id once the save has assigned it.</summary>
internal sealed record PendingEvent(EventSource? Source, string Category, string Message, EventLinks? Links, object? Details);
