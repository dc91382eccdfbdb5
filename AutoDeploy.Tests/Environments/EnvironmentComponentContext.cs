using AngleSharp.Dom;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Tests.HealthChecks;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Bunit;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Environments;

/// <summary>bUnit with the environments screen's services on a migrated SQLite file, signed in as an administrator.</summary>
public abstract class EnvironmentComponentContext : MudBunitContext
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    protected SqliteDatabase Database { get; private set; } = null!;

    protected EnvironmentService Environments => Services.GetRequiredService<EnvironmentService>();

    public override async Task InitializeAsync()
    {
        Database = await SqliteDatabase.CreateAsync(_time);
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(Database);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton<IValidator<EnvironmentInput>, EnvironmentInputValidator>();
        Services.AddEnvironments();
        Services.AddHealthCheckUi();
        SignInAs(Roles.Administrator);
    }

    protected override async Task OnDisposedAsync() => await Database.DisposeAsync();

    protected void SignInAs(string role)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized($"{role.ToLowerInvariant()}@autodeploy.test");
        authorization.SetRoles(role);
        authorization.SetPolicies(role == Roles.Administrator ? [Policies.View, Policies.Deploy, Policies.Administer] : [Policies.View]);
    }

    /// <summary>The button with this accessible name (aria-label or text).</summary>
    protected static IElement Button<T>(IRenderedComponent<T> component, string name) where T : Microsoft.AspNetCore.Components.IComponent =>
        component.FindAll("button").Single(b => b.GetAttribute("aria-label") == name || b.TextContent.Trim() == name);
}
