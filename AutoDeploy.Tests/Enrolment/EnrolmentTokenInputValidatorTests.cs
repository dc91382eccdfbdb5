using AutoDeploy.Domain.Enrolment;

namespace AutoDeploy.Tests.Enrolment;

public sealed class EnrolmentTokenInputValidatorTests
{
    private readonly EnrolmentTokenInputValidator _validator = new();

    [Fact]
    public void A_named_token_for_an_environment_and_a_policy_is_valid()
    {
        Assert.True(_validator.Validate(Valid()).IsValid);
    }

    [Fact]
    public void Every_missing_part_is_named()
    {
        var input = new EnrolmentTokenInput { Name = " ", Roles = ["Web Server"] };

        var errors = _validator.Validate(input).Errors.ToDictionary(e => e.PropertyName, e => e.ErrorMessage);

        Assert.Equal(["EnvironmentIds", "Name", "PolicyIds", "Roles"], errors.Keys.Order());
        Assert.Equal("Allow at least one environment.", errors["EnvironmentIds"]);
        Assert.Equal("Allow at least one machine policy.", errors["PolicyIds"]);
    }

    [Theory]
    [InlineData(0.5, false)]
    [InlineData(1, true)]
    [InlineData(365 * 24 * 60, true)]
    [InlineData(365 * 24 * 60 + 1, false)]
    public void A_token_is_valid_for_a_minute_at_least_and_a_year_at_most(double minutes, bool valid)
    {
        var input = Valid();
        input.ValidFor = TimeSpan.FromMinutes(minutes);

        Assert.Equal(valid, _validator.Validate(input).IsValid);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(EnrolmentTokenInputValidator.MostUses + 1, false)]
    public void Uses_are_empty_or_at_least_one(int? maxUses, bool valid)
    {
        var input = Valid();
        input.MaxUses = maxUses;

        Assert.Equal(valid, _validator.Validate(input).IsValid);
    }

    [Theory]
    [InlineData("web\0fleet", "Name cannot contain the NUL character.")]
    [InlineData(" ", "Name is required.")]
    public void A_name_that_one_of_the_databases_could_not_store_is_refused(string name, string message)
    {
        var input = Valid();
        input.Name = name;

        Assert.Equal([message], _validator.Validate(input).Errors.Select(e => e.ErrorMessage));
    }

    [Fact]
    public void A_name_of_200_characters_is_valid_and_201_is_not()
    {
        var input = Valid();
        input.Name = new string('n', 200);
        var valid = _validator.Validate(input).IsValid;
        input.Name = new string('n', 201);

        Assert.True(valid);
        Assert.Equal(["Name must be at most 200 characters."], _validator.Validate(input).Errors.Select(e => e.ErrorMessage));
    }

    private static EnrolmentTokenInput Valid() => new() { Name = "web fleet", EnvironmentIds = [1], Roles = ["web"], PolicyIds = [1] };
}
