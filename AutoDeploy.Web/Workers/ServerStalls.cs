namespace AutoDeploy.Web.Workers;

/// <summary>
/// Notices when this node stopped running its code for a while: a long garbage-collection pause, a frozen or
/// starved VM, a thread pool with no thread to spare. An agent's calls wait unheard through such a stall, so the
/// judgements of silence (a running job's agent lost, a machine unavailable) do not count the time this node itself
/// was stalled: after a stall, agents get their full limit to be heard again.
/// </summary>
public sealed class ServerStalls(TimeProvider time) : BackgroundService
{
    /// <summary>How often the watch looks at the clock; lateness beyond one more probe is a stall.</summary>
    public static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(200);

    /// <summary>Stalls older than this no longer matter to any judgement.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(10);

    private readonly Queue<(DateTimeOffset End, TimeSpan Length)> _stalls = new();

    /// <summary>How long this node was stalled after <paramref name="since"/>: to be taken off a silence that began then.</summary>
    public TimeSpan Since(DateTimeOffset since)
    {
        lock (_stalls)
        {
            var total = TimeSpan.Zero;
            foreach (var (end, length) in _stalls.Where(s => s.End > since))
            {
                total += end - length < since ? end - since : length;
            }
            return total;
        }
    }

    /// <summary>Takes note of a probe that woke <paramref name="sinceLastProbe"/> after the previous one: late by more than a probe is a stall.</summary>
    public void Observe(TimeSpan sinceLastProbe)
    {
        var late = sinceLastProbe - Probe;
        if (late > Probe)
        {
            Record(time.GetUtcNow(), late);
        }
    }

    /// <summary>Records a stall of <paramref name="length"/> that ended at <paramref name="end"/>.</summary>
    public void Record(DateTimeOffset end, TimeSpan length)
    {
        lock (_stalls)
        {
            _stalls.Enqueue((end, length));
            while (_stalls.Peek().End < end - Memory)
            {
                _stalls.Dequeue();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Probe, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Observe(time.GetElapsedTime(last));
            last = time.GetTimestamp();
        }
    }
}
