namespace AutoDeploy.Domain.Triggers;

/// <summary>How far the auto-deploy engine has read the Event table; moved only from the value it was read at.</summary>
public sealed class AutoDeployCursor
{
    public const string EngineName = "auto-deploy";

    public string Name { get; init; } = EngineName;
    public long LastEventId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
