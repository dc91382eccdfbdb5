using AutoDeploy.Domain.Projects;
using Microsoft.AspNetCore.DataProtection;

namespace AutoDeploy.Web.Secrets;

/// <summary>
/// Sensitive variable values at rest: encrypted with Data Protection when they are entered, stored and copied into
/// releases encrypted, and decrypted only where they are used (the variables of an agent's job, the log mask).
/// </summary>
/// <remarks>
/// A stored value starts with <see cref="Prefix"/>; one without it is a plain value written before values were
/// encrypted, which <see cref="SecretMigration"/> encrypts at start-up and <see cref="Reveal(string)"/> still reads.
/// </remarks>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    /// <summary>The Data Protection purpose of sensitive variable values: a new purpose means new ciphertexts.</summary>
    public const string Purpose = "AutoDeploy.Variables.Sensitive.v1";

    public const string Prefix = "protected:v1:";

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The stored form of a value just entered (always encrypted, whatever it looks like).</summary>
    public string Protect(string plain) => Prefix + protector.Protect(plain);

    /// <summary>The value as scripts get it.</summary>
    public string Reveal(string stored) => IsProtected(stored) ? protector.Unprotect(stored[Prefix.Length..]) : stored;

    /// <summary>The variables with their sensitive values decrypted, for the agent that runs a step.</summary>
    public IReadOnlyList<ProjectVariable> Reveal(IEnumerable<ProjectVariable> variables) =>
        [.. variables.Select(v => v.IsSensitive ? v with { Value = Reveal(v.Value) } : v)];

    /// <summary>The variables with every sensitive value decrypted and encrypted again, under the current key.</summary>
    public List<ProjectVariable> ProtectAgain(IReadOnlyList<ProjectVariable> variables) =>
        [.. variables.Select(v => v.IsSensitive ? v with { Value = Protect(Reveal(v.Value)) } : v)];

    /// <summary>The variables with every sensitive value in plain text encrypted; null when there is none.</summary>
    public List<ProjectVariable>? ProtectPlain(IReadOnlyList<ProjectVariable> variables) =>
        variables.Any(v => v.IsSensitive && !IsProtected(v.Value))
            ? [.. variables.Select(v => v.IsSensitive && !IsProtected(v.Value) ? v with { Value = Protect(v.Value) } : v)]
            : null;
}
