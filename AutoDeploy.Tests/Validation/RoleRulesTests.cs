using AutoDeploy.Domain.Validation;

namespace AutoDeploy.Tests.Validation;

public sealed class RoleRulesTests
{
    [Fact]
    public void Problem_of_a_role_is_none()
    {
        var problem = RoleRules.Problem("web-01_a");

        Assert.Null(problem);
    }

    [Fact]
    public void Problem_of_something_else_quotes_it_and_says_what_a_role_is()
    {
        var problem = RoleRules.Problem("Worker Pool");

        Assert.Equal("'Worker Pool' is not a role: use lower-case letters, digits, '-' or '_' (at most 100 characters).", problem);
    }

    [Fact]
    public void Normalize_trims_drops_blanks_and_repeats_and_orders()
    {
        var roles = RoleRules.Normalize([" web", "api", "", "web ", "db"]);

        Assert.Equal(["api", "db", "web"], roles);
    }
}
