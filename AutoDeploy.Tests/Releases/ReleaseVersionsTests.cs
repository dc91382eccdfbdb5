using AutoDeploy.Domain.Releases;

namespace AutoDeploy.Tests.Releases;

public sealed class ReleaseVersionsTests
{
    [Fact]
    public void NewestFirst_orders_by_semver_precedence_not_text()
    {
        var versions = new[] { "1.9.0", "1.10.0", "1.10.0-rc.1", "0.9.12" };

        var ordered = ReleaseVersions.NewestFirst(versions, v => v);

        Assert.Equal(["1.10.0", "1.10.0-rc.1", "1.9.0", "0.9.12"], ordered);
    }

    [Fact]
    public void NewestFirst_orders_versions_that_differ_only_in_build_metadata_by_that_text_whatever_order_they_come_in()
    {
        var versions = new[] { "1.0.0+a", "1.0.0+c", "1.0.0+b" };

        var ordered = ReleaseVersions.NewestFirst(versions, v => v);

        Assert.Equal(["1.0.0+c", "1.0.0+b", "1.0.0+a"], ordered);
    }

    [Theory]
    [InlineData(new string[0], "0.0.1")]
    [InlineData(new[] { "1.4.2", "1.10.0", "1.9.9" }, "1.10.1")]
    [InlineData(new[] { "1.4.2", "2.0.0-rc.1" }, "2.0.0")]
    public void SuggestNext_is_the_next_patch_of_the_latest_or_the_release_of_a_prerelease(string[] versions, string expected) =>
        Assert.Equal(expected, ReleaseVersions.SuggestNext(versions));
}
