namespace AutoDeploy.Domain.Events;

/// <summary>
/// A configuration document: named, versioned for optimistic concurrency, audited with
/// Created/Modified/Deleted events, and able to raise domain events of its own.
/// </summary>
public abstract class Document : EventSource
{
    public string Name { get; private set; } = "";

    /// <summary>Upper-cased name: the unique, case-insensitive key.</summary>
    public string NormalizedName { get; private set; } = "";

    /// <summary>Concurrency token; incremented on every save.</summary>
    public int Version { get; set; }

    public void Rename(string name)
    {
        Name = name.Trim();
        NormalizedName = Normalize(Name);
    }

    public static string Normalize(string name) => name.Trim().ToUpperInvariant();

    /// <summary>
    /// How a property's value appears in the audit (Created and Deleted snapshots, Modified changes): as it is, unless the
    /// document hides part of it, as a project does with sensitive variable values.
    /// </summary>
    public virtual object? AuditValue(string property, object? value) => value;
}
