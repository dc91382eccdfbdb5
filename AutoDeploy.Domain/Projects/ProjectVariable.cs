namespace AutoDeploy.Domain.Projects;

/// <summary>A value given to scripts as an environment variable, for all environments or one.</summary>
public sealed record ProjectVariable
{
    public const string Mask = "********";

    /// <summary>Room for a certificate bundle or a small configuration file; scripts get values as environment variables.</summary>
    public const int MaxValueLength = 65_536;

    public string Name { get; init; } = "";
    public string Value { get; init; } = "";

    /// <summary>Null: every environment. A value scoped to an environment wins over an unscoped one.</summary>
    public int? EnvironmentId { get; init; }

    /// <summary>Sensitive values are never shown: not in screens, the API or logs.</summary>
    public bool IsSensitive { get; init; }

    public string DisplayValue => IsSensitive ? Mask : Value;
}
