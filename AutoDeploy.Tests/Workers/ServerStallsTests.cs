using AutoDeploy.Web.Workers;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Workers;

public sealed class ServerStallsTests
{
    private static readonly DateTimeOffset End = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Since_counts_only_the_part_of_a_stall_after_the_silence_began()
    {
        var stalls = new ServerStalls(new FakeTimeProvider(End));
        stalls.Record(End, TimeSpan.FromSeconds(5));

        Assert.Equal(
            (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), TimeSpan.Zero),
            (stalls.Since(End.AddSeconds(-10)), stalls.Since(End.AddSeconds(-2)), stalls.Since(End)));
    }

    [Fact]
    public void Stalls_are_forgotten_once_no_judgement_can_need_them()
    {
        var stalls = new ServerStalls(new FakeTimeProvider(End));
        stalls.Record(End - ServerStalls.Memory - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

        stalls.Record(End, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), stalls.Since(DateTimeOffset.MinValue));
    }

    [Fact]
    public void A_probe_that_wakes_late_records_the_lateness_as_a_stall_ending_now()
    {
        var stalls = new ServerStalls(new FakeTimeProvider(End));

        stalls.Observe(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3) - ServerStalls.Probe, stalls.Since(End.AddSeconds(-10)));
    }

    [Fact]
    public void A_probe_late_by_less_than_another_probe_is_no_stall()
    {
        var stalls = new ServerStalls(new FakeTimeProvider(End));

        stalls.Observe(ServerStalls.Probe * 2);

        Assert.Equal(TimeSpan.Zero, stalls.Since(DateTimeOffset.MinValue));
    }

    [Fact]
    public async Task The_watch_running_as_a_service_notices_the_clock_jump()
    {
        var time = new FakeTimeProvider(End);
        using var stalls = new ServerStalls(time);
        await stalls.StartAsync(default);

        // The watch may not be waiting yet when the clock first moves: jump until it has seen one.
        await TestSupport.Eventually.TrueAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(3));
            return Task.FromResult(stalls.Since(DateTimeOffset.MinValue) > TimeSpan.Zero);
        });

        Assert.True(stalls.Since(DateTimeOffset.MinValue) >= TimeSpan.FromSeconds(3) - ServerStalls.Probe);
        await stalls.StopAsync(default);
    }
}
