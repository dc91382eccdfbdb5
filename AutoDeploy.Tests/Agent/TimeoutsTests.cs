using AutoDeploy.Agent;

namespace AutoDeploy.Tests.Agent;

public sealed class TimeoutsTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("45", 45)]
    [InlineData("1.5m", 90)]
    [InlineData(" 2M ", 120)]
    public void TryParse_AcceptsSecondsMinutesHoursAndPlainSeconds(string text, int seconds)
    {
        Assert.True(Timeouts.TryParse(text, out var timeout));

        Assert.Equal(TimeSpan.FromSeconds(seconds), timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("10x")]
    [InlineData("m")]
    [InlineData("soon")]
    [InlineData("1,5m")]
    [InlineData("200h")]
    public void TryParse_RefusesAnythingElse(string text)
    {
        Assert.False(Timeouts.TryParse(text, out _));
    }

    [Theory]
    [InlineData(90, "90s")]
    [InlineData(600, "10m")]
    [InlineData(3600, "1h")]
    [InlineData(1, "1s")]
    public void Format_WritesItAsTheCommandLineWould(int seconds, string expected)
    {
        Assert.Equal(expected, Timeouts.Format(TimeSpan.FromSeconds(seconds)));
    }
}
