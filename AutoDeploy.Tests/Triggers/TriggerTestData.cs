using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Triggers;

/// <summary>Builders for trigger inputs and the services under test.</summary>
public static class TriggerTestData
{
    /// <summary>The recommended trigger: machines that become available for deployment, anywhere, any role.</summary>
    public static TriggerInput Input(string name, params string[] roles) =>
        new() { Name = name, EventGroups = [EventGroups.MachineAvailableForDeployment], Roles = [.. roles] };

    public static TriggerService TriggerService(IDbContextFactory<AutoDeployDbContext> factory) =>
        new(factory, new TriggerInputValidator(), CurrentAccess.For(Access.System));

    public static AutoDeployOverrideService OverrideService(IDbContextFactory<AutoDeployDbContext> factory, TimeProvider time) =>
        new(factory, time, CurrentAccess.For(Access.System));

    /// <summary>Creates a trigger through the service and returns what it saved.</summary>
    public static async Task<TriggerDetails> SaveNewAsync(this TriggerService service, int projectId, TriggerInput input)
    {
        var saved = await service.CreateAsync(projectId, input);
        Assert.True(saved.Result.Succeeded, saved.Result.Message);
        return saved.Value!;
    }
}
