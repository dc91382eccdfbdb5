namespace AutoDeploy.Web.Feed;

/// <summary>
/// Runs a refresh at most once per interval however often it is requested: the first request at once, every
/// request made while a refresh runs or during the pause after it folds into one more refresh. For screens that
/// re-read on feed events, so a burst of events costs a handful of queries, not one per event.
/// </summary>
public sealed class RefreshThrottle(Func<Task> refresh, TimeSpan interval, TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private bool _running;
    private bool _pending;

    public void Request()
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            if (_running)
            {
                _pending = true;
                return;
            }
            _running = true;
        }
        _ = Task.Run(RunAsync);
    }

    /// <summary>No refresh starts after this; one under way finishes.</summary>
    public void Dispose() => _stop.Cancel();

    private async Task RunAsync()
    {
        while (true)
        {
            try
            {
                await refresh();
            }
            catch (Exception)
            {
                // The refresh reports its own failures; the throttle only has to stay usable.
            }
            try
            {
                await Task.Delay(interval, time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            lock (_gate)
            {
                if (!_pending)
                {
                    _running = false;
                    return;
                }
                _pending = false;
            }
        }
    }
}
