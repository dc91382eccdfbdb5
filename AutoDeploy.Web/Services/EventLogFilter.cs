namespace AutoDeploy.Web.Services;

/// <summary>What the audit log shows. Every part is optional; the parts narrow the log together.</summary>
public sealed record EventLogFilter
{
    public static readonly EventLogFilter None = new();

    /// <summary>Any of these categories; empty means all.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>
    /// With <see cref="DocumentId"/>: the document and every event related to it (e.g. Machine 12 is every event
    /// whose MachineId is 12). Alone: events raised by documents of this type.
    /// </summary>
    public string? DocumentType { get; init; }

    public int? DocumentId { get; init; }

    /// <summary>Part of the actor's name, any case.</summary>
    public string? Actor { get; init; }

    /// <summary>First day (UTC) included.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last day (UTC) included.</summary>
    public DateOnly? To { get; init; }
}

/// <summary>One page of the audit log, newest first, and where the next one starts (null: this is the last).</summary>
public sealed record EventLogPage(IReadOnlyList<Domain.Events.Event> Events, long? NextBefore);

/// <summary>The document types events name, as <c>Document.DocumentType</c> spells them.</summary>
public static class EventDocumentTypes
{
    public const string Environment = "Environment";
    public const string Machine = "Machine";
    public const string MachinePolicy = "MachinePolicy";
    public const string Project = "Project";
    public const string Release = "Release";
    public const string Deployment = "Deployment";
    public const string Trigger = "Trigger";
    public const string EnrolmentToken = "EnrolmentToken";

    public static readonly IReadOnlyList<string> All = [Environment, Machine, MachinePolicy, Project, Release, Deployment, Trigger, EnrolmentToken];
}
