namespace AutoDeploy.Web.Workers;

/// <summary>The <c>AutoDeploy</c> configuration section.</summary>
public sealed class AutoDeployOptions
{
    /// <summary>The fallback scan: the engine is woken at once when an event is committed on this node.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Events read per pass.</summary>
    public int PageSize { get; set; } = 500;
}
