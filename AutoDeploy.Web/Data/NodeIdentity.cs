using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Data;

/// <summary>The <c>Node</c> configuration section: who this server process is among several on one database.</summary>
public sealed class NodeOptions
{
    /// <summary>The node's name in leases and log messages; unique per running process. Default: machine name and process id.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// How long a deployment stays owned by this node without a heartbeat. A node that stops renewing (killed, paused, cut
    /// off) loses its deployments after this long, and another node fails them.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leases are renewed and expired ones looked for. Default: a third of <see cref="LeaseDuration"/>.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }
}

/// <summary>This process as one node of AutoDeploy: its name and lease timings.</summary>
public sealed class NodeIdentity
{
    public NodeIdentity(IOptions<NodeOptions> options)
        : this(options.Value.Name, options.Value.LeaseDuration, options.Value.HeartbeatInterval)
    {
    }

    public NodeIdentity(string? name, TimeSpan leaseDuration, TimeSpan? heartbeatInterval = null)
    {
        if (leaseDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(leaseDuration), leaseDuration, "Node:LeaseDuration must be positive.");
        }
        Name = string.IsNullOrWhiteSpace(name) ? $"{Environment.MachineName}-{Environment.ProcessId}" : name.Trim();
        if (Name.Length > MaxNameLength)
        {
            throw new ArgumentException($"Node:Name can be at most {MaxNameLength} characters long.", nameof(name));
        }
        LeaseDuration = leaseDuration;
        HeartbeatInterval = heartbeatInterval ?? leaseDuration / 3;
    }

    public const int MaxNameLength = 200;

    public string Name { get; }

    public TimeSpan LeaseDuration { get; }

    public TimeSpan HeartbeatInterval { get; }
}
