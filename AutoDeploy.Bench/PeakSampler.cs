namespace AutoDeploy.Bench;

/// <summary>
/// Samples the server process's working set every few milliseconds while a phase runs, keeping the highest value and
/// the CPU time the phase used.
/// </summary>
public sealed class PeakSampler : IAsyncDisposable
{
    private readonly ServerProcess _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly TimeSpan _cpuAtStart;
    private long _peak;
    private TimeSpan? _cpu;

    public PeakSampler(ServerProcess server)
    {
        _server = server;
        Before = server.WorkingSet;
        _peak = Before;
        _cpuAtStart = server.CpuTime;
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>The working set when the phase started.</summary>
    public long Before { get; }

    /// <summary>The highest working set seen since.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    /// <summary>The server's CPU time used since the phase started.</summary>
    public TimeSpan Cpu => _cpu ?? _server.CpuTime - _cpuAtStart;

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await timer.WaitForNextTickAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var now = _server.WorkingSet;
            if (now > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, now);
            }
        }
    }

    /// <summary>Stops sampling (again: nothing); <see cref="Peak"/> and <see cref="Cpu"/> keep their last values.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_sampling.IsCompleted)
        {
            return;
        }
        await _stop.CancelAsync();
        await _sampling;
        _cpu = _server.CpuTime - _cpuAtStart;
        _stop.Dispose();
    }
}
