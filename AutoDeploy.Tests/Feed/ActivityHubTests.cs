using System.Net.Http.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Feed;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Feed;

/// <summary><c>/hubs/activity</c> through the SignalR client, on the whole app (TestServer, long polling).</summary>
[Trait("Database", "App")]
public sealed class ActivityHubTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly List<HubConnection> _connections = [];
    private readonly List<ActivityEvent> _received = [];
    private bool _hasProduction;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_client_subscribed_to_everything_receives_an_event_the_app_commits()
    {
        var connection = await ConnectAsync(AutoDeployAppFactory.AdminApiKey);
        await connection.InvokeAsync(nameof(ActivityHub.SubscribeAll));

        var response = await _app.CreateApiClient().PostAsJsonAsync("/api/environments", new { name = "Staging" });
        response.EnsureSuccessStatusCode();

        var created = await NextAsync(e => e.DocumentType == "Environment");
        Assert.Equal((EventCategories.Created, "Environment 'Staging' was created", ActivityGroups.Changes),
            (created.Category, created.Message, created.Group));
    }

    [Fact]
    public async Task A_client_subscribed_to_a_machine_gets_only_that_machines_events()
    {
        var web01 = await RegisterAsync("web-01");
        var web02 = await RegisterAsync("web-02");
        var connection = await ConnectAsync(AutoDeployAppFactory.AdminApiKey);
        await connection.InvokeAsync(nameof(ActivityHub.SubscribeMachine), web01);

        await DisableAsync(web02);
        await DisableAsync(web01);

        // The feed sends in commit order, so web-02's event would have arrived before web-01's.
        await NextAsync(e => e.Category == EventCategories.MachineDisabled);
        Assert.Equal([(EventCategories.MachineDisabled, web01)], Received().Select(e => (e.Category, e.MachineId!.Value)));
    }

    [Fact]
    public async Task An_event_matching_two_subscriptions_arrives_once()
    {
        var web01 = await RegisterAsync("web-01");
        var connection = await ConnectAsync(AutoDeployAppFactory.AdminApiKey);
        await connection.InvokeAsync(nameof(ActivityHub.SubscribeMachine), web01);
        await connection.InvokeAsync(nameof(ActivityHub.SubscribeAll));

        await DisableAsync(web01);
        await _app.CreateApiClient().PostAsJsonAsync("/api/environments", new { name = "Marker" });

        await NextAsync(e => e.DocumentType == "Environment");
        Assert.Single(Received(), e => e.Category == EventCategories.MachineDisabled);
    }

    [Fact]
    public async Task Without_a_key_or_a_sign_in_the_hub_refuses_the_connection_with_401()
    {
        var connection = Build(apiKey: null);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private async Task<HubConnection> ConnectAsync(string apiKey)
    {
        var connection = Build(apiKey);
        await connection.StartAsync();
        return connection;
    }

    private HubConnection Build(string? apiKey)
    {
        var server = _app.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, ActivityHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                if (apiKey is not null)
                {
                    o.Headers["X-Api-Key"] = apiKey;
                }
            })
            .Build();
        connection.On<ActivityEvent>(nameof(IActivityClient.Event), e =>
        {
            lock (_received)
            {
                _received.Add(e);
            }
        });
        _connections.Add(connection);
        return connection;
    }

    private List<ActivityEvent> Received()
    {
        lock (_received)
        {
            return [.. _received];
        }
    }

    private async Task<ActivityEvent> NextAsync(Func<ActivityEvent, bool> match)
    {
        await Eventually.TrueAsync(() => Task.FromResult(Received().Any(match)),
            because: () => $"received only: {string.Join("; ", Received().Select(e => e.Message))}");
        return Received().First(match);
    }

    private async Task<int> RegisterAsync(string name)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        if (!_hasProduction)
        {
            await scope.ServiceProvider.GetRequiredService<EnvironmentService>().CreateAsync(new() { Name = "Production" });
            _hasProduction = true;
        }
        var result = await scope.ServiceProvider.GetRequiredService<MachineRegistrationService>()
            .RegisterAsync(new RegistrationRequest { Name = name, Environments = ["Production"], Roles = ["web"] });
        return result.Value!.MachineId;
    }

    private async Task DisableAsync(int machineId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<MachineService>().SetEnabledAsync(machineId, false);
        Assert.True(result.Succeeded, result.Message);
    }
}
