namespace AutoDeploy.Web.Feed;

/// <summary>The live feed as components see it: new events, in commit order, as they are committed.</summary>
public interface IActivityFeed
{
    /// <summary>
    /// Calls <paramref name="onEvent"/> with every event committed from now on, oldest first, on a background thread.
    /// The handler must return quickly (hand the work to <c>InvokeAsync</c>). Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(Action<ActivityEvent> onEvent);
}
