namespace AutoDeploy.Agent;

/// <summary>One agent binary the server serves (its <c>GET /api/agent-binaries</c>).</summary>
public sealed record AgentBinaryInfo(string Runtime, string Architecture, string Version, string Sha256, long Size, string Path);
