using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Permissions;
using Bunit;
using Microsoft.AspNetCore.Components.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>
/// bUnit context with MudBlazor's services and loose JS interop. Disposed asynchronously through
/// IAsyncLifetime: some MudBlazor services only implement IAsyncDisposable (RECIPES.md §8.2).
/// </summary>
public abstract class MudBunitContext : BunitContext, IAsyncLifetime
{
    /// <summary>
    /// How long a WaitFor may take: a bound against a hang, not a speed target. The default ran out once in a stress run
    /// before the first check had even run (check count 0), while dozens of test classes were starting on two busy cores;
    /// a passing wait returns as soon as its condition holds, so a longer bound costs nothing.
    /// </summary>
    static MudBunitContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(30);

    protected MudBunitContext()
    {
        Services.AddMudServices();
        // A server without a certificate of its own (plain http), as the pages see it in these tests.
        Services.AddSingleton(new ServerCertificate(new ConfigurationBuilder().Build(), NullLogger<ServerCertificate>.Instance));
        JSInterop.Mode = JSRuntimeMode.Loose;
        // The pages' services check the caller's access: these tests act as an administrator unless they say otherwise.
        Services.AddScoped(_ => CurrentAccess.For(Access.System));
        // An empty state from the prerender, for the pages that take theirs over (PrerenderHandOff). A test of that state calls
        // AddBunitPersistentComponentState first: it resolves services, after which none can be added.
        Services.AddSingleton<ComponentStatePersistenceManager>();
        Services.AddSingleton(s => s.GetRequiredService<ComponentStatePersistenceManager>().State);
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await OnDisposedAsync();
    }

    protected virtual Task OnDisposedAsync() => Task.CompletedTask;
}
