using AutoDeploy.Domain.Releases;
using AutoDeploy.Tests.Projects;

namespace AutoDeploy.Tests.Releases;

public sealed class ReleaseInputValidatorTests
{
    private readonly ReleaseInputValidator _validator = new();

    [Theory]
    [InlineData("1.4.2")]
    [InlineData("2.0.0-rc.1+build.7")]
    public void A_semver_version_is_valid(string version) => _validator.AssertValid(new ReleaseInput { Version = version });

    [Fact]
    public void The_version_is_required() =>
        Assert.Equal(["Version is required."], _validator.MessagesFor(new ReleaseInput { Version = " " }, "Version"));

    [Fact]
    public void A_version_that_is_not_semver_says_what_is_expected() =>
        Assert.Equal(["'1.4' is not a SemVer version such as 1.4.2."], _validator.MessagesFor(new ReleaseInput { Version = "1.4" }, "Version"));

    [Fact]
    public void Notes_are_at_most_the_maximum_length()
    {
        var input = new ReleaseInput { Version = "1.0.0", Notes = new string('n', Release.MaxNotesLength + 1) };

        Assert.Equal(["Notes must be at most 10000 characters."], _validator.MessagesFor(input, "Notes"));
    }
}
