using AutoDeploy.Web.Components.Shared;

namespace AutoDeploy.Tests.Components;

public sealed class LocalTimeTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 5, TimeSpan.Zero);

    [Fact]
    public void Format_shows_the_time_in_the_browsers_zone()
    {
        Assert.Equal("24 Nov 2026, 13:00:05", LocalTime.For("Europe/Berlin").Format(Noon));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Nowhere/Atlantis")]
    [InlineData("Etc/UTC")]
    public void A_missing_or_unknown_zone_falls_back_to_utc_and_says_so(string? zone)
    {
        Assert.Equal("24 Nov 2026, 12:00:05 UTC", LocalTime.For(zone).Format(Noon));
    }

    [Fact]
    public void A_log_line_shows_the_time_of_day_in_the_same_zone()
    {
        Assert.Equal("13:00:05", LocalTime.For("Europe/Berlin").TimeOfDay(Noon));
    }

    [Fact]
    public void Exact_is_utc_to_the_millisecond()
    {
        Assert.Equal("2026-11-24 12:00:05.000 UTC", LocalTime.Exact(Noon.ToOffset(TimeSpan.FromHours(2))));
    }
}
