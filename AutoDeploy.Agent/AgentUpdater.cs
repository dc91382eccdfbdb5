using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Agent;

/// <summary>
/// Replaces the installed agent with the server's newer build when the server says so (its machine policy is
/// Automatically), between jobs: downloads it beside itself, checks its SHA-256 against the server's list and that it
/// runs and is the version offered, renames it over itself (atomic), and restarts in place (execv: the same process,
/// so systemd and whoever started it keep it). Anything that goes wrong leaves the running agent as it was and is
/// reported to the server (an event on the machine); the agent does not try that version again until it restarts.
/// </summary>
public sealed class AgentUpdater(AgentClient client, Action<string> log)
{
    private readonly HashSet<string> _tried = [];

    /// <summary>Updates to <paramref name="version"/> and restarts (so returns only if it did not), unless tried already.</summary>
    public async Task UpdateAsync(string version, CancellationToken ct)
    {
        if (!_tried.Add(version))
        {
            return;
        }
        log($"The server asks for agent version {version} (this is {AgentProtocol.Version}): updating.");
        string reason;
        try
        {
            reason = await ReplaceAndRestartAsync(version, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or AgentRequestException
                                      or ServerUnavailableException)
        {
            reason = e.Message;
        }
        log($"The update to {version} failed: {reason} Running on as {AgentProtocol.Version}.");
        try
        {
            await client.ReportUpdateFailedAsync(new AgentUpdateFailure(version, reason), ct);
        }
        catch (Exception e) when (e is AgentRequestException or ServerUnavailableException)
        {
            log($"Could not tell the server: {e.Message}");
        }
    }

    /// <returns>Why it could not; on success the process is replaced and this never returns.</returns>
    private async Task<string> ReplaceAndRestartAsync(string version, CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the agent updates itself on Linux only.";
        }
        if (Environment.ProcessPath is not { } self || Path.GetFileName(self) == "dotnet")
        {
            return "this agent runs from a build (dotnet AutoDeploy.Agent.dll), not as an installed program; install it with install.sh.";
        }
        var runtime = RuntimeInformation.RuntimeIdentifier;
        var binary = (await client.GetBinariesAsync(ct)).FirstOrDefault(b => b.Runtime == runtime);
        if (binary is null)
        {
            return $"the server has no agent for {runtime}.";
        }

        var folder = Path.GetDirectoryName(self)!;
        var download = Path.Combine(folder, $".autodeploy-agent.update-{Guid.NewGuid():N}");
        try
        {
            string actual;
            await using (var file = new FileStream(download, FileMode.CreateNew, FileAccess.Write))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await client.DownloadAsync(binary.Path, new HashingStream(file, hash), ct);
                actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            if (!string.Equals(actual, binary.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return $"the download's SHA-256 is {actual}, not the server's {binary.Sha256}.";
            }
            File.SetUnixFileMode(download, File.GetUnixFileMode(self));
            if (await VersionOfAsync(download, ct) is var (ran, output) && (!ran || output.Split('+')[0].Trim() != version))
            {
                return ran ? $"the downloaded agent says it is version '{output.Trim()}', not {version}." : $"the downloaded agent does not run: {output}";
            }
            File.Move(download, self, overwrite: true);
        }
        finally
        {
            File.Delete(download);
        }

        log($"Updated to {version}; restarting.");
        var arguments = Environment.GetCommandLineArgs().Skip(1).Prepend(self).Append(null).ToArray();
        Exec(self, arguments);
        return $"it was installed, but the agent could not restart itself (errno {Marshal.GetLastPInvokeError()}); it runs the new version from its next start.";
    }

    /// <summary>Runs <c>&lt;file&gt; --version</c>: whether it ran, and what it printed (or why it did not run).</summary>
    private static async Task<(bool Ran, string Output)> VersionOfAsync(string file, CancellationToken ct)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(limit.Token);
            return process.ExitCode == 0 ? (true, await output) : (false, $"'--version' ended with exit code {process.ExitCode}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, e.Message);
        }
    }

    [DllImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static extern int Exec(string path, string?[] arguments);

    /// <summary>Writes through to a stream while hashing what passes, so the download is read once.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
