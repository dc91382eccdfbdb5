using System.Security.Cryptography;

namespace AutoDeploy.Agent;

/// <summary>
/// The name a machine registers under: <c>--name</c> or the host name, and for clones of one image an optional suffix
/// (<c>--name-suffix</c>) that tells them apart, the base name cut so that the whole fits the server's limit.
/// </summary>
public static class MachineNames
{
    /// <summary>The server's limit on names (NameRules.MaxLength).</summary>
    public const int MaxLength = 200;

    public const string InstanceIdSuffix = "instance-id";
    public const string RandomSuffix = "random";

    /// <summary>Where cloud-init keeps the instance id of the machine it set up.</summary>
    public const string CloudInitInstanceIdFile = "/var/lib/cloud/data/instance-id";

    /// <summary>The environment variable that names another file holding the instance id (for images without cloud-init).</summary>
    public const string InstanceIdFileVariable = "AUTODEPLOY_INSTANCE_ID_FILE";

    private const string RandomAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int RandomLength = 6;

    /// <summary>The host name in lower case: <c>--name</c>'s default.</summary>
    public static string HostName() => Environment.MachineName.ToLowerInvariant();

    /// <summary>
    /// The name to register: <paramref name="baseName"/> with the suffix <paramref name="suffixKind"/> asks for, or the
    /// reason there is none (an unknown kind, no instance id).
    /// </summary>
    public static (string? Name, string? Error) Compose(string baseName, string? suffixKind, Func<string?> readInstanceId)
    {
        baseName = baseName.Trim();
        string suffix;
        switch (suffixKind?.Trim())
        {
            case null:
                return (baseName, null);
            case RandomSuffix:
                suffix = string.Concat(Enumerable.Range(0, RandomLength).Select(_ => RandomAlphabet[RandomNumberGenerator.GetInt32(RandomAlphabet.Length)]));
                break;
            case InstanceIdSuffix:
                var instanceId = readInstanceId()?.Trim();
                if (string.IsNullOrEmpty(instanceId))
                {
                    return (null, $"--name-suffix instance-id needs the machine's instance id, and {InstanceIdFile()} is missing or empty " +
                                  $"(cloud-init writes it; or set {InstanceIdFileVariable} to a file that holds it). Use --name-suffix random instead.");
                }
                if (instanceId.Length > MaxLength / 2 || instanceId.Any(char.IsControl))
                {
                    return (null, $"The instance id in {InstanceIdFile()} is not one (control characters, or longer than {MaxLength / 2} characters).");
                }
                suffix = instanceId;
                break;
            default:
                return (null, $"--name-suffix must be '{InstanceIdSuffix}' or '{RandomSuffix}' (not '{suffixKind}').");
        }
        var room = MaxLength - suffix.Length - 1;
        return ($"{(baseName.Length > room ? baseName[..room].TrimEnd() : baseName)}-{suffix}", null);
    }

    /// <summary>The file the instance id is read from: <see cref="InstanceIdFileVariable"/> if set, else cloud-init's.</summary>
    public static string InstanceIdFile() =>
        Environment.GetEnvironmentVariable(InstanceIdFileVariable) is { Length: > 0 } path ? path : CloudInitInstanceIdFile;

    /// <summary>The instance id from <see cref="InstanceIdFile"/>, or null when the file is missing or unreadable.</summary>
    public static string? ReadInstanceId()
    {
        try
        {
            return File.ReadAllText(InstanceIdFile());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
