using AngleSharp.Dom;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.Feed;
using AutoDeploy.Tests.HealthChecks;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Feed;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using Bunit;
using Microsoft.AspNetCore.Components;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Machines;

/// <summary>bUnit with the machine screens' services on a migrated SQLite file, signed in as an administrator.</summary>
public abstract class MachineComponentContext : MudBunitContext
{
    private Bunit.TestDoubles.BunitAuthorizationContext? _authorization;

    protected SqliteDatabase Database { get; private set; } = null!;
    protected DeploymentEnvironment Production { get; private set; } = null!;
    protected MachinePolicy Policy { get; private set; } = null!;

    /// <summary>The live feed the machine page listens to; the test publishes.</summary>
    protected FakeActivityFeed Feed { get; } = new();

    protected MachineService Machines => Services.GetRequiredService<MachineService>();

    public override async Task InitializeAsync()
    {
        Database = await SqliteDatabase.CreateAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(Database);
        Services.AddSingleton(Database.Time);
        Services.AddSingleton<IValidator<MachineInput>, MachineInputValidator>();
        Services.AddSingleton<IValidator<RegistrationRequest>, RegistrationRequestValidator>();
        Services.AddSingleton<TaskSignals>();
        Services.AddSingleton<IActivityFeed>(Feed);
        Services.AddMachines();
        Services.AddHealthCheckUi();
        Services.AddAutoDeployDecisions();
        SignInAs(Roles.Administrator);
        // Interactive, as on the server: the page's live sections subscribe to the feed.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Production = await Database.AddEnvironmentAsync("Production");
        Policy = await Database.AddPolicyAsync();
    }

    protected override async Task OnDisposedAsync() => await Database.DisposeAsync();

    protected void SignInAs(string role)
    {
        // Registered once: the renderer (its RendererInfo is set in InitializeAsync) has already read the services.
        var authorization = _authorization ??= AddAuthorization();
        authorization.SetAuthorized($"{role.ToLowerInvariant()}@autodeploy.test");
        authorization.SetRoles(role);
        authorization.SetPolicies(role == Roles.Administrator ? [Policies.View, Policies.Deploy, Policies.Administer] : [Policies.View]);
    }

    protected Task<Machine> AddMachineAsync(string name, string[]? roles = null, MachineHealthStatus health = MachineHealthStatus.Unknown) =>
        Database.AddMachineAsync(name, [Production], Policy, roles, health);

    /// <summary>The buttons with this accessible name (aria-label or text).</summary>
    protected static IReadOnlyList<IElement> Buttons<T>(IRenderedComponent<T> component, string name) where T : Microsoft.AspNetCore.Components.IComponent =>
        component.FindAll("button").Where(b => b.GetAttribute("aria-label") == name || b.TextContent.Trim() == name).ToList();

    protected static IElement Button<T>(IRenderedComponent<T> component, string name) where T : Microsoft.AspNetCore.Components.IComponent =>
        Assert.Single(Buttons(component, name));
}
