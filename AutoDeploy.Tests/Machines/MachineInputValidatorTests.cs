using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Tests.Machines;

public sealed class MachineInputValidatorTests
{
    private readonly MachineInputValidator _validator = new();

    [Fact]
    public void A_complete_input_is_valid()
    {
        var result = _validator.Validate(Valid());

        Assert.True(result.IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_name_is_required(string name)
    {
        var input = Valid();
        input.Name = name;

        var result = _validator.Validate(input);

        Assert.Equal(["Name is required."], Messages(result, nameof(MachineInput.Name)));
    }

    [Fact]
    public void A_name_longer_than_200_characters_is_refused()
    {
        var input = Valid();
        input.Name = MachineTestData.TooLongName;

        var result = _validator.Validate(input);

        Assert.Equal(["Name must be at most 200 characters."], Messages(result, nameof(MachineInput.Name)));
    }

    [Fact]
    public void No_environment_is_refused()
    {
        var input = Valid();
        input.EnvironmentIds = [];

        var result = _validator.Validate(input);

        Assert.Equal(["Choose at least one environment."], Messages(result, nameof(MachineInput.EnvironmentIds)));
    }

    [Theory]
    [InlineData("web")]
    [InlineData("web-server_2")]
    [InlineData("0db")]
    public void Lower_case_letters_digits_dashes_and_underscores_are_valid_roles(string role)
    {
        var input = Valid();
        input.Roles = [role];

        var result = _validator.Validate(input);

        Assert.True(result.IsValid);
    }

    [Theory]
    [InlineData("Web")]
    [InlineData("web server")]
    [InlineData("web.1")]
    [InlineData("")]
    public void Other_roles_are_refused_and_named(string role)
    {
        var input = Valid();
        input.Roles = ["web", role];

        var result = _validator.Validate(input);

        var message = Assert.Single(Messages(result, nameof(MachineInput.Roles)));
        Assert.Contains($"'{role}'", message);
        Assert.DoesNotContain("'web'", message);
    }

    [Fact]
    public void No_roles_are_valid()
    {
        var input = Valid();
        input.Roles = [];

        var result = _validator.Validate(input);

        Assert.True(result.IsValid);
    }

    private static MachineInput Valid() => new() { Name = "web-01", EnvironmentIds = [1], Roles = ["web"], MachinePolicyId = 1 };

    private static string[] Messages(FluentValidation.Results.ValidationResult result, string property) =>
        result.Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage).ToArray();
}
