using System.Collections.Concurrent;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Feed;
using AutoDeploy.Web.Permissions;
using Microsoft.AspNetCore.Components;

namespace AutoDeploy.Web.Components.Pages.ActivityFeed;

/// <summary>
/// Subscribes to the live feed (interactive only) before it reads the history, so no event falls in between;
/// the timeline drops the duplicates. Events arriving in a burst are drawn in one render.
/// </summary>
public sealed partial class ActivityFeedList(IActivityFeed feed, ActivityEventReader reader, CurrentAccess current) : IDisposable
{
    /// <summary>Live events kept on a page before the oldest fall off (history the reader loads stays).</summary>
    public const int Capacity = 500;

    private readonly ConcurrentQueue<ActivityEvent> _incoming = new();
    private readonly List<ActivityEvent> _pending = [];
    private ActivityTimeline _timeline = new(Capacity);
    private ActivityFilter? _shown;
    private IDisposable? _subscription;
    private int _drainScheduled;
    private bool _loading = true;
    private bool _loadingOlder;
    private bool _paused;
    private bool _pendingOverflow;
    private Access _access = Access.None;

    [Parameter] public ActivityFilter Filter { get; set; } = ActivityFilter.None;

    /// <summary>Events per page of history.</summary>
    [Parameter] public int PageSize { get; set; } = 50;

    /// <summary>Just the latest <see cref="PageSize"/> events: no pause, no older history (the dashboard).</summary>
    [Parameter] public bool Compact { get; set; }

    [Parameter] public string EmptyText { get; set; } = "No activity matches yet.";

    protected override void OnInitialized()
    {
        _timeline = new ActivityTimeline(Compact ? PageSize : Capacity);
        if (RendererInfo.IsInteractive)
        {
            _subscription = feed.Subscribe(OnEvent);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _access = await current.GetAsync();
        if (_shown != Filter)
        {
            _shown = Filter;
            await ReloadAsync();
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private async Task ReloadAsync()
    {
        var filter = _shown!;
        _timeline.Clear();
        _pending.Clear();
        _pendingOverflow = false;
        _loading = true;
        var page = await reader.BeforeAsync(filter, null, PageSize, _access);
        if (filter == _shown)
        {
            _timeline.AddOlder(page, reachedEnd: page.Count < PageSize || Compact);
            _loading = false;
        }
    }

    private async Task LoadOlderAsync()
    {
        _loadingOlder = true;
        try
        {
            var filter = _shown!;
            var page = await reader.BeforeAsync(filter, _timeline.OldestId, PageSize, _access);
            if (filter == _shown)
            {
                _timeline.AddOlder(page, reachedEnd: page.Count < PageSize);
            }
        }
        finally
        {
            _loadingOlder = false;
        }
    }

    private async Task TogglePauseAsync()
    {
        _paused = !_paused;
        if (_paused)
        {
            return;
        }
        if (_pendingOverflow)
        {
            await ReloadAsync();
            return;
        }
        foreach (var activity in _pending)
        {
            _timeline.Add(activity);
        }
        _pending.Clear();
    }

    /// <summary>On the feed's thread: queue the event and make sure one drain is scheduled on the circuit.</summary>
    private void OnEvent(ActivityEvent activity)
    {
        _incoming.Enqueue(activity);
        if (Interlocked.Exchange(ref _drainScheduled, 1) == 0)
        {
            _ = InvokeAsync(Drain);
        }
    }

    private void Drain()
    {
        Volatile.Write(ref _drainScheduled, 0);
        var changed = false;
        while (_incoming.TryDequeue(out var activity))
        {
            if (_shown is null || !_shown.Matches(activity) || !activity.VisibleTo(_access))
            {
                continue;
            }
            if (_paused)
            {
                _pending.Add(activity);
                if (_pending.Count > Capacity)
                {
                    _pending.RemoveAt(0);
                    _pendingOverflow = true;
                }
                changed = true;
            }
            else
            {
                changed |= _timeline.Add(activity);
            }
        }
        if (changed)
        {
            StateHasChanged();
        }
    }
}
