using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Tests.Machines;

public sealed class RegistrationRequestValidatorTests
{
    private readonly RegistrationRequestValidator _validator = new();

    [Fact]
    public void A_request_with_name_environments_and_roles_is_valid()
    {
        var result = _validator.Validate(MachineTestData.Registration("web-01", "Production"));

        Assert.True(result.IsValid);
    }

    [Fact]
    public void A_blank_name_is_required()
    {
        var result = _validator.Validate(MachineTestData.Registration(" ", "Production"));

        Assert.Equal(["Name is required."], Messages(result, nameof(RegistrationRequest.Name)));
    }

    [Fact]
    public void A_name_longer_than_200_characters_is_refused()
    {
        var result = _validator.Validate(MachineTestData.Registration(MachineTestData.TooLongName, "Production"));

        Assert.Equal(["Name must be at most 200 characters."], Messages(result, nameof(RegistrationRequest.Name)));
    }

    [Fact]
    public void No_environment_is_refused()
    {
        var result = _validator.Validate(MachineTestData.Registration("web-01"));

        Assert.Equal(["Name at least one environment."], Messages(result, nameof(RegistrationRequest.Environments)));
    }

    [Fact]
    public void An_empty_environment_name_is_refused()
    {
        var result = _validator.Validate(MachineTestData.Registration("web-01", "Production", ""));

        Assert.Contains(result.Errors, e => e.ErrorMessage == "Environment names cannot be empty.");
    }

    [Fact]
    public void Names_with_the_NUL_character_that_PostgreSQL_cannot_store_are_refused()
    {
        var request = MachineTestData.Registration("web\001", "Prod\0uction");
        request.Policy = "Spot\0";

        var messages = _validator.Validate(request).Errors.Select(e => e.ErrorMessage).Order().ToList();

        Assert.Equal(["An environment name cannot contain the NUL character.", "Name cannot contain the NUL character.",
            "The policy name cannot contain the NUL character."], messages);
    }

    [Fact]
    public void Environment_and_policy_names_longer_than_any_stored_name_are_refused()
    {
        var request = MachineTestData.Registration("web-01", MachineTestData.TooLongName);
        request.Policy = MachineTestData.TooLongName;

        var messages = _validator.Validate(request).Errors.Select(e => e.ErrorMessage).Order().ToList();

        Assert.Equal(["Environment names are at most 200 characters.", "Policy names are at most 200 characters."], messages);
    }

    [Fact]
    public void An_upper_case_role_is_refused_and_named()
    {
        var request = MachineTestData.Registration("web-01", "Production");
        request.Roles = ["Web"];

        var result = _validator.Validate(request);

        var message = Assert.Single(Messages(result, nameof(RegistrationRequest.Roles)));
        Assert.Contains("'Web'", message);
    }

    [Fact]
    public void No_policy_is_valid()
    {
        var request = MachineTestData.Registration("web-01", "Production");
        request.Policy = null;

        var result = _validator.Validate(request);

        Assert.True(result.IsValid);
    }

    private static string[] Messages(FluentValidation.Results.ValidationResult result, string property) =>
        result.Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage).ToArray();
}
