using AutoDeploy.Domain.Environments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Feed;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using Bunit;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Feed;

/// <summary>
/// bUnit for the feed's components: an interactive renderer, a migrated SQLite file for the history and the
/// dashboard's reads, and <see cref="FakeActivityFeed"/> in place of the live feed (the test publishes).
/// </summary>
public abstract class FeedComponentContext : MudBunitContext
{
    /// <summary>Long enough for a loaded CI machine; a passing assertion returns at once.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected SqliteDatabase Database { get; private set; } = null!;
    protected FakeActivityFeed Feed { get; } = new();

    public override async Task InitializeAsync()
    {
        Database = await SqliteDatabase.CreateAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(Database);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IActivityFeed>(Feed);
        Services.AddSingleton<ActivityEventReader>();
        Services.AddSingleton<TaskSignals>();
        Services.AddSingleton<IValidator<EnvironmentInput>, EnvironmentInputValidator>();
        Services.AddEnvironments();
        Services.AddAutoDeployDecisions();
        Services.AddScoped<DashboardService>();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected override async Task OnDisposedAsync() => await Database.DisposeAsync();

    /// <summary>The id of the newest event in the database: live events a test publishes come after it.</summary>
    protected Task<long> LastEventIdAsync() => new ActivityEventReader(Database).LastIdAsync();
}
