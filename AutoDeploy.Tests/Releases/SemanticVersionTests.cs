using AutoDeploy.Domain.Releases;

namespace AutoDeploy.Tests.Releases;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("1.4.2")]
    [InlineData("0.0.1-alpha.1")]
    [InlineData("2.0.0-rc.1+build.5")]
    public void TryParse_valid_versions_round_trip(string text)
    {
        Assert.True(SemanticVersion.TryParse(text, out var version));

        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.4")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-")]
    [InlineData("v1.2.3")]
    [InlineData("1.2.3.4")]
    public void TryParse_rejects_what_is_not_semver(string text)
    {
        Assert.False(SemanticVersion.TryParse(text, out _));
    }

    [Fact]
    public void CompareTo_follows_semver_precedence()
    {
        var ordered = new[] { "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0" };

        var sorted = ordered.Reverse().Select(Parse).Order().Select(v => v.ToString());

        Assert.Equal(ordered, sorted);
    }

    private static SemanticVersion Parse(string text) =>
        SemanticVersion.TryParse(text, out var version) ? version : throw new ArgumentException(text);
}
