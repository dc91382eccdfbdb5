using AutoDeploy.Web.Feed;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;

namespace AutoDeploy.Web.Components.Pages.Dashboard;

/// <summary>
/// The start page. It re-reads itself when the feed publishes an event (throttled: a burst costs a few reads) and,
/// while deployments run, when their progress changes (the in-process log signal), so nothing polls from the browser.
/// </summary>
public sealed partial class DashboardPage(
    DashboardService dashboard, IActivityFeed feed, TaskSignals signals, TimeProvider time, ILogger<DashboardPage> logger)
    : IAsyncDisposable
{
    /// <summary>The least time between two reads of the dashboard.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a running deployment's progress may go unseen if its signal was missed.</summary>
    private static readonly TimeSpan ProgressFallback = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<int> _followed = [];
    private DashboardView? _view;
    private IDisposable? _subscription;
    private RefreshThrottle? _throttle;

    protected override async Task OnInitializedAsync()
    {
        if (RendererInfo.IsInteractive)
        {
            // Subscribed before the first read, so no event falls in between.
            _throttle = new RefreshThrottle(RefreshAsync, RefreshInterval, time);
            _subscription = feed.Subscribe(_ => _throttle.Request());
        }
        _view = await dashboard.GetAsync(_stop.Token);
        FollowRunning();
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _throttle?.Dispose();
        await _stop.CancelAsync();
    }

    private async Task RefreshAsync()
    {
        try
        {
            var view = await dashboard.GetAsync(_stop.Token);
            await InvokeAsync(() =>
            {
                _view = view;
                FollowRunning();
                StateHasChanged();
            });
        }
        catch (Exception ex) when (!_stop.IsCancellationRequested)
        {
            // The last view stays up; the next event reads again.
            logger.LogWarning(ex, "Refreshing the dashboard failed");
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Watches each running deployment's progress (on the circuit's context) until it has ended.</summary>
    private void FollowRunning()
    {
        if (_throttle is null || _view is null)
        {
            return;
        }
        foreach (var id in _view.RunningDeploymentIds)
        {
            if (_followed.Add(id))
            {
                _ = FollowAsync(id);
            }
        }
    }

    private async Task FollowAsync(int deploymentId)
    {
        try
        {
            while (!_stop.IsCancellationRequested && _view?.RunningDeploymentIds.Contains(deploymentId) == true)
            {
                await signals.Logs.WaitAsync(deploymentId, ProgressFallback, time, _stop.Token);
                _throttle?.Request();
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _followed.Remove(deploymentId);
        }
    }
}
