using AutoDeploy.Web.Components.Shared;
using Bunit;

namespace AutoDeploy.Tests.Components;

public sealed class TimeTests : BunitContext
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 5, TimeSpan.Zero);

    [Fact]
    public void A_time_is_shown_in_the_viewers_zone_with_the_exact_utc_time_on_hover()
    {
        var time = Render<Time>(p => p.Add(t => t.Value, Noon).AddCascadingValue(LocalTime.For("Europe/Berlin")));

        var element = time.Find("time");
        Assert.Equal("24 Nov 2026, 13:00:05", element.TextContent);
        Assert.Equal("2026-11-24 12:00:05.000 UTC", element.GetAttribute("title"));
        Assert.Equal("2026-11-24T12:00:05.000Z", element.GetAttribute("datetime"));
    }

    [Fact]
    public void Without_a_zone_it_says_utc()
    {
        var time = Render<Time>(p => p.Add(t => t.Value, Noon));

        Assert.Equal("24 Nov 2026, 12:00:05 UTC", time.Find("time").TextContent);
    }

    [Fact]
    public void No_time_shows_the_words_given()
    {
        var time = Render<Time>(p => p.Add(t => t.Value, null).Add(t => t.None, "registration"));

        Assert.Equal("registration", time.Markup);
    }
}
