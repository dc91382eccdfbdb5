using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Feed;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Feed;

public sealed class RefreshThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly FakeTimeProvider _time = new();
    private readonly TaskCompletionSource _firstRefresh = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _refreshes;

    [Fact]
    public async Task The_first_request_refreshes_at_once()
    {
        using var throttle = NewThrottle();
        _firstRefresh.SetResult();

        throttle.Request();

        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref _refreshes) == 1));
    }

    [Fact]
    public async Task Requests_during_a_refresh_fold_into_one_more_refresh_after_the_interval()
    {
        using var throttle = NewThrottle();
        throttle.Request();
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref _refreshes) == 1));

        for (var i = 0; i < 5; i++)
        {
            throttle.Request();
        }
        _firstRefresh.SetResult();

        Assert.Equal(1, Volatile.Read(ref _refreshes));
        await Eventually.TrueAsync(() =>
        {
            _time.Advance(Interval);
            return Task.FromResult(Volatile.Read(ref _refreshes) == 2);
        });
    }

    [Fact]
    public void Nothing_refreshes_once_disposed()
    {
        var throttle = NewThrottle();

        throttle.Dispose();
        throttle.Request();

        Assert.Equal(0, Volatile.Read(ref _refreshes));
    }

    /// <summary>The first refresh waits for <see cref="_firstRefresh"/>, so a test can make requests while it runs.</summary>
    private RefreshThrottle NewThrottle() => new(async () =>
    {
        if (Interlocked.Increment(ref _refreshes) == 1)
        {
            await _firstRefresh.Task;
        }
    }, Interval, _time);
}
