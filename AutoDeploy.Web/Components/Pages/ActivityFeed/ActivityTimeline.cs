using AutoDeploy.Web.Feed;

namespace AutoDeploy.Web.Components.Pages.ActivityFeed;

/// <summary>
/// The events a feed shows, newest first and each once, whichever way they arrive (live, or as older history).
/// Up to <c>capacity</c> live events are kept beside the history the reader loaded (<see cref="AddOlder"/>); more
/// push the oldest off, so a page left open for days stays small.
/// </summary>
public sealed class ActivityTimeline(int capacity)
{
    private readonly int _initialCapacity = capacity;
    private static readonly IComparer<ActivityEvent> NewestFirst = Comparer<ActivityEvent>.Create((a, b) => b.Id.CompareTo(a.Id));
    private readonly List<ActivityEvent> _items = [];
    private int _capacity = capacity;

    public IReadOnlyList<ActivityEvent> Items => _items;

    /// <summary>Whether there is history older than <see cref="Items"/> to load.</summary>
    public bool HasOlder { get; private set; }

    public long? OldestId => _items.Count == 0 ? null : _items[^1].Id;

    /// <summary>Adds the event in its place by id; false if it is already there.</summary>
    public bool Add(ActivityEvent activity)
    {
        var index = _items.BinarySearch(activity, NewestFirst);
        if (index >= 0)
        {
            return false;
        }
        _items.Insert(~index, activity);
        if (_items.Count > _capacity)
        {
            _items.RemoveRange(_capacity, _items.Count - _capacity);
            HasOlder = true;
        }
        return true;
    }

    /// <summary>
    /// Adds a page of history the reader asked for (it stays until the timeline is cleared);
    /// <paramref name="reachedEnd"/>: the page was the last one.
    /// </summary>
    public void AddOlder(IEnumerable<ActivityEvent> events, bool reachedEnd)
    {
        foreach (var activity in events)
        {
            var index = _items.BinarySearch(activity, NewestFirst);
            if (index < 0)
            {
                _items.Insert(~index, activity);
                _capacity++;
            }
        }
        HasOlder = !reachedEnd;
    }

    public void Clear()
    {
        _items.Clear();
        _capacity = _initialCapacity;
        HasOlder = false;
    }
}
