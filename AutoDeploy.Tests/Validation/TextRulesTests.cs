using AutoDeploy.Domain.Validation;

namespace AutoDeploy.Tests.Validation;

public sealed class TextRulesTests
{
    [Fact]
    public void Cut_leaves_text_that_fits_as_it_is()
    {
        Assert.Equal("abc", TextRules.Cut("abc", 3));
    }

    [Fact]
    public void Cut_keeps_the_start_and_ends_with_an_ellipsis_within_the_length()
    {
        Assert.Equal("abcd…", TextRules.Cut("abcdefgh", 5));
    }

    [Fact]
    public void Cut_never_keeps_half_of_a_character_made_of_two_units()
    {
        var cut = TextRules.Cut("abc😀def", 5);

        Assert.Equal("abc…", cut);
    }

    [Fact]
    public void Clean_drops_control_characters_trims_and_cuts()
    {
        Assert.Equal("one two…", TextRules.Clean(" one\n two\0 three ", 8));
    }
}
