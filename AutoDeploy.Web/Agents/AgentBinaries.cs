using System.Collections.Concurrent;
using System.Security.Cryptography;
using AutoDeploy.Domain.Agents;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Agents;

/// <summary>
/// The agent binaries built with the server (AgentBinaries.targets), each with its SHA-256, which install.sh checks
/// before it installs anything and agents check before they update themselves. A file's hash is computed once and
/// again only when the file changes.
/// </summary>
public sealed class AgentBinaries(IOptions<AgentBinaryOptions> options)
{
    /// <summary>The runtimes the build publishes, with the name <c>uname -m</c> gives their architecture.</summary>
    public static readonly IReadOnlyDictionary<string, string> Runtimes = new Dictionary<string, string>
    {
        ["linux-x64"] = "x86_64",
        ["linux-arm64"] = "aarch64",
    };

    private readonly ConcurrentDictionary<string, (DateTime Written, long Size, string Sha256)> _hashes = new();

    /// <summary>The binaries present, in the order of <see cref="Runtimes"/>; empty when the server was built without them.</summary>
    public IReadOnlyList<AgentBinary> All() =>
        Runtimes.Keys.Select(Find).OfType<AgentBinary>().ToList();

    /// <summary>The binary for <paramref name="runtime"/>, or null when there is none.</summary>
    public AgentBinary? Find(string runtime)
    {
        if (!Runtimes.TryGetValue(runtime, out var architecture) || FileOf(runtime) is not { Exists: true } file)
        {
            return null;
        }
        var known = _hashes.GetValueOrDefault(file.FullName);
        if (known.Written != file.LastWriteTimeUtc || known.Size != file.Length)
        {
            using var stream = file.OpenRead();
            known = (file.LastWriteTimeUtc, file.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
            _hashes[file.FullName] = known;
        }
        return new AgentBinary(runtime, architecture, AgentProtocol.Version, known.Sha256, known.Size);
    }

    /// <summary>The file of <paramref name="runtime"/>'s binary (whether or not it exists), or null for an unknown runtime.</summary>
    public FileInfo? FileOf(string runtime) =>
        Runtimes.ContainsKey(runtime) ? new FileInfo(Path.Combine(options.Value.Folder, runtime, AgentBinary.FileName)) : null;
}
