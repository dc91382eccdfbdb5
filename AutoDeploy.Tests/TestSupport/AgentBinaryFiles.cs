using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>The self-contained agents the build puts beside the tests (AgentBinaries.targets), for this machine.</summary>
public static class AgentBinaryFiles
{
    /// <summary>
    /// The runtime of this machine's agent, from its architecture (the test host's own runtime identifier can be a
    /// distribution's, such as debian.12-x64, which is not one the server serves).
    /// </summary>
    public static string Runtime { get; } = RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    /// <summary>This machine's agent as the server serves it.</summary>
    public static string Served { get; } = Path.Combine(AppContext.BaseDirectory, "agents", Runtime, "autodeploy-agent");

    /// <summary>SHA-256 of a file, lower-case hex, as the server and install.sh write it.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
