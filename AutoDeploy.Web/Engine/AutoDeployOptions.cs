using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Web.Engine;

/// <summary>The <c>AutoDeploy</c> configuration section.</summary>
public sealed class AutoDeployOptions
{
    /// <summary>The fallback scan: the engine is woken at once when an event is committed on this node.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Events read per pass.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>How often an auto-deployment that fails on a machine is tried in all before the engine blocks it.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; each next retry waits twice as long.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public RetryPolicy RetryPolicy => new(MaxAttempts, RetryBackoff);
}
