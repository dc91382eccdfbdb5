using AutoDeploy.Domain.Environments;

namespace AutoDeploy.Tests.Environments;

public sealed class EnvironmentInputValidatorTests
{
    private readonly EnvironmentInputValidator _validator = new();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_BlankName_IsRequired(string name)
    {
        var result = _validator.Validate(new EnvironmentInput { Name = name });

        Assert.Equal(["Name is required."], result.Errors.Select(e => e.ErrorMessage));
    }

    [Fact]
    public void Validate_NameOf200CharactersOnceTrimmed_IsValid()
    {
        var result = _validator.Validate(new EnvironmentInput { Name = $"  {new string('a', 200)}  " });

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Validate_NameOf201Characters_IsTooLong()
    {
        var result = _validator.Validate(new EnvironmentInput { Name = new string('a', 201) });

        Assert.Equal(["Name must be at most 200 characters."], result.Errors.Select(e => e.ErrorMessage));
    }

    [Fact]
    public void Validate_DescriptionOf2000Characters_IsValid()
    {
        var result = _validator.Validate(new EnvironmentInput { Name = "Test", Description = new string('d', 2000) });

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Validate_DescriptionOf2001Characters_IsTooLong()
    {
        var result = _validator.Validate(new EnvironmentInput { Name = "Test", Description = new string('d', 2001) });

        var error = Assert.Single(result.Errors);
        Assert.Equal(nameof(EnvironmentInput.Description), error.PropertyName);
        Assert.Equal("Description must be at most 2000 characters.", error.ErrorMessage);
    }

    [Fact]
    public void Validate_NoDescription_IsValid()
    {
        var result = _validator.Validate(new EnvironmentInput { Name = "Test", Description = null });

        Assert.True(result.IsValid);
    }
}
