using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Projects;

/// <summary>Builders for project inputs and the services under test.</summary>
public static class ProjectTestData
{
    public static DeploymentStep Step(string name, params string[] roles) =>
        new() { Name = name, Roles = [.. roles], Script = $"echo {name}", Timeout = TimeSpan.FromMinutes(5) };

    public static VariableInput Variable(string name, string? value, bool sensitive = false, int? environmentId = null) =>
        new() { Name = name, Value = value, IsSensitive = sensitive, EnvironmentId = environmentId };

    public static ProjectInput Input(string name = "Shop", params DeploymentStep[] steps) =>
        new() { Name = name, Description = "The web shop", Steps = [.. steps] };

    public static ProjectService ProjectService(IDbContextFactory<AutoDeployDbContext> factory) =>
        new(factory, new ProjectInputValidator(), TestSecrets.Protector, CurrentAccess.For(Access.System));

    public static ReleaseService ReleaseService(IDbContextFactory<AutoDeployDbContext> factory, TimeProvider time) =>
        new(factory, new ReleaseInputValidator(), time, CurrentAccess.For(Access.System));

    /// <summary>Creates a project through the service and returns what it saved.</summary>
    public static async Task<ProjectDetails> SaveNewAsync(this ProjectService service, ProjectInput input)
    {
        var saved = await service.CreateAsync(input);
        Assert.True(saved.Result.Succeeded, saved.Result.Message);
        return saved.Value!;
    }

    public static void AssertValid<T>(this IValidator<T> validator, T input) =>
        Assert.Empty(validator.Validate(input).Errors);

    /// <summary>The messages the validator gives for one property path.</summary>
    public static string[] MessagesFor<T>(this IValidator<T> validator, T input, string path) =>
        [.. validator.Validate(input).Errors.Where(e => e.PropertyName == path).Select(e => e.ErrorMessage)];
}
