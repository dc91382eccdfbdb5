using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AutoDeploy.Agent;

/// <summary>
/// Starts a command as the leader of its own session and process group (through <c>setsid</c>), so that killing it
/// reaches every process the script started, even ones whose parent has already exited.
/// </summary>
public static class ProcessGroup
{
    private const int SigKill = 9;

    private static readonly string? SetsidPath = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>Makes <paramref name="start"/> run its command through setsid where there is one.</summary>
    public static void RunInOwnGroup(ProcessStartInfo start)
    {
        if (SetsidPath is null)
        {
            return;
        }
        start.ArgumentList.Insert(0, start.FileName);
        start.FileName = SetsidPath;
    }

    /// <summary>Kills the process, its process group and every descendant that can still be found.</summary>
    public static void KillTree(Process process)
    {
        if (SetsidPath is not null)
        {
            // The process is its group's leader (setsid execs without forking): -pid names the whole group.
            _ = kill(-process.Id, SigKill);
        }
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
