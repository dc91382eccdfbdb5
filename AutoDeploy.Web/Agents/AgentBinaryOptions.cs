namespace AutoDeploy.Web.Agents;

/// <summary>Where the agent binaries the server hands out are (<c>Agents:Folder</c>).</summary>
public sealed class AgentBinaryOptions
{
    /// <summary>
    /// A folder holding <c>&lt;runtime&gt;/autodeploy-agent</c>; by default the <c>agents</c> folder that the build puts
    /// beside the server (AgentBinaries.targets).
    /// </summary>
    public string Folder { get; set; } = Path.Combine(AppContext.BaseDirectory, "agents");
}
