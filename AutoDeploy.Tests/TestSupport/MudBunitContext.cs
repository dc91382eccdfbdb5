using AutoDeploy.Web.Agents;
using Bunit;
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
    protected MudBunitContext()
    {
        Services.AddMudServices();
        // A server without a certificate of its own (plain http), as the pages see it in these tests.
        Services.AddSingleton(new ServerCertificate(new ConfigurationBuilder().Build(), NullLogger<ServerCertificate>.Instance));
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await OnDisposedAsync();
    }

    protected virtual Task OnDisposedAsync() => Task.CompletedTask;
}
