using System.Security.Cryptography;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Packages;

namespace AutoDeploy.Agent;

/// <summary>A package could not be installed: why, for the step's result.</summary>
public sealed class PackageInstallException(string message) : Exception(message);

/// <summary>
/// Puts a job's package on the machine. The file comes from the cache (by SHA-256) or the server: streamed to a
/// <c>.part</c> file, resumed from where a cut connection left it (HTTP range), and checked against its SHA-256 before
/// it is cached. It is extracted into <c>&lt;apps&gt;/&lt;project&gt;/&lt;package&gt;/&lt;version&gt;</c> through
/// <see cref="PackageExtractor"/>, which refuses entries and links that escape and archives that expand too far; the last
/// versions of each package stay (as many as the machine policy says), older ones are deleted.
/// </summary>
public sealed class PackageInstaller(AgentClient client, string cacheFolder, string appsFolder)
{
    /// <summary>How often a cut download is resumed before the step fails.</summary>
    public int MaxAttempts { get; init; } = 5;

    public long MaxExtractedBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Installs the package, with <paramref name="variables"/> substituted in the files it lists; returns its folder.</summary>
    public async Task<string> InstallAsync(JobPackage package, IReadOnlyDictionary<string, string> variables, Action<string> log, CancellationToken ct)
    {
        var archive = await FetchAsync(package, log, ct);
        var packageFolder = Path.Combine(appsFolder, SafeName(package.Project), SafeName(package.PackageId));
        var target = Path.Combine(packageFolder, SafeName(package.Version));
        log($"Extracting {package.PackageId} {package.Version} into {target}");
        await PackageExtractor.ExtractAsync(archive, package.Format, target, MaxExtractedBytes, ct);
        if (package.SubstituteInFiles is { Count: > 0 } files)
        {
            await VariableSubstitution.ApplyAsync(target, files, variables, log, ct);
        }
        RemoveOldVersions(packageFolder, target, Math.Max(1, package.KeepVersions), log);
        return target;
    }

    /// <summary>The package's file in the cache, downloaded first unless a previous job left it there.</summary>
    private async Task<string> FetchAsync(JobPackage package, Action<string> log, CancellationToken ct)
    {
        Directory.CreateDirectory(cacheFolder);
        var cached = Path.Combine(cacheFolder, package.Sha256.ToLowerInvariant() + package.Format.Extension());
        if (File.Exists(cached))
        {
            log($"{package.PackageId} {package.Version} is in the cache ({cached}); nothing to download");
            return cached;
        }
        var part = cached + ".part";
        log($"Downloading {package.PackageId} {package.Version} ({package.Size} bytes)");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var file = new FileStream(part, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
                await client.ResumeDownloadAsync(package.Path, file, ct);
                break;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested && attempt < MaxAttempts)
            {
                log($"The download was cut ({e.Message}); resuming from {new FileInfo(part).Length} bytes (attempt {attempt + 1} of {MaxAttempts})");
            }
        }
        var actual = await HashAsync(part, ct);
        if (!string.Equals(actual, package.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new PackageInstallException(
                $"{package.PackageId} {package.Version} is not the file the server recorded: SHA-256 expected {package.Sha256}, got {actual}.");
        }
        File.Move(part, cached, overwrite: true);
        return cached;
    }

    private static void RemoveOldVersions(string packageFolder, string current, int keep, Action<string> log)
    {
        var old = new DirectoryInfo(packageFolder).EnumerateDirectories()
            .Where(d => d.FullName != Path.GetFullPath(current) && !d.Name.StartsWith('.'))
            .OrderByDescending(d => d.LastWriteTimeUtc).Skip(keep - 1).ToList();
        foreach (var folder in old)
        {
            log($"Removing the old version {folder.Name} (the machine policy keeps {keep})");
            folder.Delete(recursive: true);
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }

    /// <summary>A name safe as one folder: no separators, no "..".</summary>
    public static string SafeName(string name)
    {
        var safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '+' ? c : '-')).Trim('.');
        return safe.Length == 0 ? "-" : safe;
    }
}
