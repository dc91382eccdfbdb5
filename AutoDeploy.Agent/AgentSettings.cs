using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AutoDeploy.Agent;

/// <summary>
/// An agent's registration, kept in <c>&lt;home&gt;/agent.json</c> readable by its owner only (the token is a secret), with
/// how far the agent trusts its server (<see cref="ServerTrust"/>): a pinned certificate thumbprint, plain HTTP allowed.
/// </summary>
public sealed record AgentSettings(string Server, int MachineId, string Name, string Token, string? ServerThumbprint = null,
    bool Insecure = false)
{
    public const string FileName = "agent.json";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly JsonTypeInfo<AgentSettings> FileJson =
        (JsonTypeInfo<AgentSettings>)new JsonSerializerOptions(AgentClient.Json) { WriteIndented = true }.GetTypeInfo(typeof(AgentSettings));

    public static string DefaultHome =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".autodeploy-agent");

    public static string PathIn(string home) => Path.Combine(home, FileName);

    /// <summary>The registration in <paramref name="home"/>, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is there but not a registration.</exception>
    public static AgentSettings? Load(string home)
    {
        var path = PathIn(home);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var settings = JsonSerializer.Deserialize(File.ReadAllText(path), AgentClient.TypeOf<AgentSettings>());
            if (settings is null || string.IsNullOrEmpty(settings.Server) || string.IsNullOrEmpty(settings.Token))
            {
                throw new InvalidDataException($"{path} does not hold a registration (server and token are missing).");
            }
            return settings;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Writes the registration atomically, with mode 600 in a folder of mode 700.</summary>
    public void Save(string home)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(home);
        }
        else
        {
            Directory.CreateDirectory(home, OwnerOnly | UnixFileMode.UserExecute);
        }
        var path = PathIn(home);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, FileJson);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static void Delete(string home) => File.Delete(PathIn(home));
}
