using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Tests.Deployments;

public sealed class DeploymentVariablesTests
{
    private static readonly DeploymentContext Context = new(42, "Shop", "1.4.2", 7, "Production", "web-01", ["api", "web"]);

    [Fact]
    public void For_gives_the_standard_variables()
    {
        var variables = DeploymentVariables.For(Context, []);

        Assert.Equal("42", variables["AUTODEPLOY_DEPLOYMENT_ID"]);
        Assert.Equal("Shop", variables["AUTODEPLOY_PROJECT"]);
        Assert.Equal("1.4.2", variables["AUTODEPLOY_RELEASE"]);
        Assert.Equal("Production", variables["AUTODEPLOY_ENVIRONMENT"]);
        Assert.Equal("web-01", variables["AUTODEPLOY_MACHINE"]);
        Assert.Equal("api,web", variables["AUTODEPLOY_ROLES"]);
    }

    [Fact]
    public void For_prefers_a_value_scoped_to_the_environment_and_ignores_other_environments()
    {
        ProjectVariable[] variables =
        [
            new() { Name = "DB", Value = "db-scoped", EnvironmentId = 7 },
            new() { Name = "DB", Value = "db-default" },
            new() { Name = "ONLY_TEST", Value = "x", EnvironmentId = 8 },
        ];

        var result = DeploymentVariables.For(Context, variables);

        Assert.Equal("db-scoped", result["DB"]);
        Assert.False(result.ContainsKey("ONLY_TEST"));
    }

    [Fact]
    public void Mask_hides_every_sensitive_value_in_a_line()
    {
        var masked = DeploymentVariables.Mask("connecting with s3cret and s3cret-long", ["s3cret", "s3cret-long"]);

        Assert.Equal("connecting with ******** and ********", masked);
    }
}
