using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace AutoDeploy.Tests.Identity;

public sealed class PasswordRulesTests
{
    [Fact]
    public void Every_rule_Identity_enforces_is_named()
    {
        var rules = PasswordRules.Describe(new PasswordOptions { RequiredLength = 12 });

        Assert.Equal("At least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol.", rules);
    }

    [Fact]
    public void Rules_that_are_off_are_not_named()
    {
        var options = new PasswordOptions { RequireUppercase = false, RequireLowercase = false, RequireNonAlphanumeric = false };

        Assert.Equal("At least 6 characters, with a digit.", PasswordRules.Describe(options));
        options.RequireDigit = false;
        Assert.Equal("At least 6 characters.", PasswordRules.Describe(options));
    }
}
