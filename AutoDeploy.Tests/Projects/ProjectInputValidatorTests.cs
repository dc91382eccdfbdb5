using AutoDeploy.Domain.Projects;
using static AutoDeploy.Tests.Projects.ProjectTestData;

namespace AutoDeploy.Tests.Projects;

public sealed class ProjectInputValidatorTests
{
    private readonly ProjectInputValidator _validator = new();

    [Fact]
    public void A_project_without_steps_may_be_saved() => _validator.AssertValid(Input("Shop"));

    [Fact]
    public void A_complete_project_is_valid()
    {
        var input = Input("Shop", Step("Deploy", "web"), Step("Migrate", "db", "worker"));
        input.Variables = [Variable("DB_PASSWORD", "s3cret", sensitive: true), Variable("_Mode", "fast"), Variable("_Mode", "slow", environmentId: 2)];
        input.Connectivity = new ConnectivitySettings { SkipUnavailableMachines = true, SkipUnavailableRoles = ["web"] };

        _validator.AssertValid(input);
    }

    [Theory]
    [InlineData("", "Name is required.")]
    [InlineData("   ", "Name is required.")]
    public void Name_is_required(string name, string message) =>
        Assert.Equal([message], _validator.MessagesFor(Input(name), "Name"));

    [Fact]
    public void Description_is_at_most_2000_characters()
    {
        var input = Input("Shop");
        input.Description = new string('x', 2001);

        Assert.Equal(["Description must be at most 2000 characters."], _validator.MessagesFor(input, "Description"));
    }

    [Fact]
    public void A_step_without_a_role_is_named_in_the_message_on_its_roles_field()
    {
        var input = Input("Shop", Step("Deploy", "web"), Step("Migrate"));

        Assert.Equal(["Step 2 'Migrate': choose at least one role."], _validator.MessagesFor(input, "Steps[1].Roles"));
    }

    [Fact]
    public void A_step_without_a_name_is_named_by_its_position()
    {
        var input = Input("Shop", Step("", "web"));

        Assert.Equal(["Step 1: a name is required."], _validator.MessagesFor(input, "Steps[0].Name"));
    }

    [Fact]
    public void Step_names_are_unique_within_the_project_ignoring_case()
    {
        var input = Input("Shop", Step("Deploy", "web"), Step("deploy", "web"));

        Assert.Equal(["Step 2 'deploy': another step already has this name."], _validator.MessagesFor(input, "Steps[1].Name"));
    }

    [Fact]
    public void A_step_name_is_at_most_200_characters()
    {
        var input = Input("Shop", Step(new string('s', 201), "web"));

        Assert.Single(_validator.MessagesFor(input, "Steps[0].Name"), m => m.EndsWith("the name must be at most 200 characters."));
    }

    [Fact]
    public void Step_roles_follow_the_role_rules()
    {
        var input = Input("Shop", Step("Deploy", "web", "Web Servers"));

        Assert.Equal(["Step 1 'Deploy': roles must be lower-case letters, digits, '-' or '_' (at most 100 characters): 'Web Servers'."],
            _validator.MessagesFor(input, "Steps[0].Roles"));
    }

    [Fact]
    public void A_step_needs_a_script()
    {
        var input = Input("Shop", Step("Deploy", "web") with { Script = "  " });

        Assert.Equal(["Step 1 'Deploy': enter a script."], _validator.MessagesFor(input, "Steps[0].Script"));
    }

    [Fact]
    public void A_script_is_at_most_the_maximum_length()
    {
        var input = Input("Shop", Step("Deploy", "web") with { Script = new string('x', DeploymentStep.MaxScriptLength + 1) });

        Assert.Equal(["Step 1 'Deploy': the script must be at most 100000 characters."], _validator.MessagesFor(input, "Steps[0].Script"));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(86_400, true)]
    [InlineData(86_401, false)]
    public void A_timeout_is_between_1_second_and_24_hours(int seconds, bool valid)
    {
        var input = Input("Shop", Step("Deploy", "web") with { Timeout = TimeSpan.FromSeconds(seconds) });

        var messages = _validator.MessagesFor(input, "Steps[0].Timeout");

        string[] expected = valid ? [] : ["Step 1 'Deploy': the timeout must be between 1 second and 24 hours."];
        Assert.Equal(expected, messages);
    }

    [Theory]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("_private", true)]
    [InlineData("x1", true)]
    [InlineData("1x", false)]
    [InlineData("my-var", false)]
    [InlineData("MY VAR", false)]
    public void Variable_names_look_like_environment_variables(string name, bool valid)
    {
        var input = Input("Shop");
        input.Variables = [Variable(name, "value")];

        var messages = _validator.MessagesFor(input, "Variables[0].Name");

        string[] expected = valid ? [] : [$"Variable 1 '{name}': the name must start with a letter or '_' and contain only letters, digits and '_' (like an environment variable)."];
        Assert.Equal(expected, messages);
    }

    [Fact]
    public void Variable_names_starting_with_AUTODEPLOY_are_reserved()
    {
        var input = Input("Shop");
        input.Variables = [Variable("AUTODEPLOY_RELEASE", "1.0.0")];

        Assert.Equal(["Variable 1 'AUTODEPLOY_RELEASE': names starting with AUTODEPLOY_ are reserved for AutoDeploy."],
            _validator.MessagesFor(input, "Variables[0].Name"));
    }

    [Fact]
    public void A_variable_needs_a_name()
    {
        var input = Input("Shop");
        input.Variables = [Variable("", "value")];

        Assert.Equal(["Variable 1: a name is required."], _validator.MessagesFor(input, "Variables[0].Name"));
    }

    [Fact]
    public void A_variable_name_is_unique_per_environment_scope()
    {
        var input = Input("Shop");
        input.Variables = [Variable("MODE", "a"), Variable("MODE", "b", environmentId: 3), Variable("MODE", "c")];

        var errors = _validator.Validate(input).Errors;

        var error = Assert.Single(errors);
        Assert.Equal("Variables[2].Name", error.PropertyName);
        Assert.Equal("Variable 3 'MODE': another variable has this name for all environments.", error.ErrorMessage);
    }

    [Fact]
    public void Roles_for_skipping_unavailable_machines_follow_the_role_rules()
    {
        var input = Input("Shop");
        input.Connectivity = new ConnectivitySettings { SkipUnavailableMachines = true, SkipUnavailableRoles = ["Web"] };

        Assert.Single(_validator.MessagesFor(input, "Connectivity.SkipUnavailableRoles"));
    }
}
