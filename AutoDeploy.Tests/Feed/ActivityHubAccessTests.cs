using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Feed;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AutoDeploy.Tests.Feed;

/// <summary>
/// <c>/hubs/activity</c> and who may hear what, through the SignalR client on the whole app: a scoped Viewer gets the events
/// of their projects only, a connection's subscriptions are capped, and a revoked key, a deleted user or changed roles close
/// the connection. Its subject is the hub's authorization in memory; the hub over PostgreSQL is ActivityHubTests', so
/// this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class ActivityHubAccessTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly List<HubConnection> _connections = [];
    private readonly List<ActivityEvent> _received = [];
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _app.Settings["ActivityFeed:MaxSubscriptionsPerConnection"] = "3";
        _admin = _app.CreateApiClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_viewer_of_one_project_subscribed_to_everything_receives_only_that_project_s_events()
    {
        var a = await ProjectAsync("A");
        var b = await ProjectAsync("B");
        var (_, key) = await UserAsync(new { role = "Viewer", projectIds = new[] { a } });
        var connection = await ConnectAsync(key);
        await connection.InvokeAsync(nameof(ActivityHub.SubscribeAll));

        await _admin.PostAsync($"/api/projects/{b}/disable", null);
        await _admin.PostAsync($"/api/projects/{a}/disable", null);

        // The feed sends in commit order, so B's event would have arrived before A's.
        await Eventually.TrueAsync(() => Task.FromResult(Received().Any(e => e.ProjectId == a)));
        Assert.DoesNotContain(Received(), e => e.ProjectId == b);
    }

    [Fact]
    public async Task A_subscription_beyond_the_limit_is_refused_with_a_hub_error()
    {
        var connection = await ConnectAsync(AutoDeployAppFactory.AdminApiKey);
        foreach (var project in new[] { 1, 2, 3 })
        {
            await connection.InvokeAsync(nameof(ActivityHub.SubscribeProject), project);
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync(nameof(ActivityHub.SubscribeMachine), 1));

        Assert.Contains("at most 3 subscriptions", refused.Message);
    }

    [Fact]
    public async Task Revoking_the_api_key_closes_its_connections()
    {
        var (_, key) = await UserAsync(new { role = "Viewer" });
        using var asUser = _app.CreateApiClient(key);
        var keyId = (await asUser.GetFromJsonAsync<JsonElement>("/api/me/api-keys")).EnumerateArray().Single().GetProperty("id").GetInt32();
        var closed = Closed(await ConnectAsync(key));

        (await asUser.DeleteAsync($"/api/me/api-keys/{keyId}")).EnsureSuccessStatusCode();

        await closed.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Deleting_the_user_closes_their_connections()
    {
        var (userId, key) = await UserAsync(new { role = "Viewer" });
        var closed = Closed(await ConnectAsync(key));

        (await _admin.DeleteAsync($"/api/users/{userId}")).EnsureSuccessStatusCode();

        await closed.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Changing_the_user_s_roles_closes_their_connections()
    {
        var (userId, key) = await UserAsync(new { role = "Viewer" });
        var connection = await ConnectAsync(key);
        var closed = Closed(connection);

        var changed = await _admin.PutAsJsonAsync($"/api/users/{userId}/assignments",
            new { assignments = new[] { new { role = "Viewer", projectIds = new[] { await ProjectAsync("Only") } } } });
        changed.EnsureSuccessStatusCode();

        await closed.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task Another_user_s_connection_stays_open_when_one_user_is_deleted()
    {
        var (doomed, _) = await UserAsync(new { role = "Viewer" });
        var connection = await ConnectAsync(AutoDeployAppFactory.AdminApiKey);
        await connection.InvokeAsync(nameof(ActivityHub.SubscribeAll));

        (await _admin.DeleteAsync($"/api/users/{doomed}")).EnsureSuccessStatusCode();

        await Eventually.TrueAsync(() => Task.FromResult(Received().Any(e => e.Category == EventCategories.UserDeleted)));
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    private static Task Closed(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private async Task<int> ProjectAsync(string name)
    {
        var created = await _admin.PostAsJsonAsync("/api/projects", new { name });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private async Task<(string UserId, string Key)> UserAsync(object assignment)
    {
        var created = await _admin.PostAsJsonAsync("/api/users",
            new { email = $"{Guid.NewGuid():N}@hub.test", password = "Hub-Passw0rd!", assignments = new[] { assignment } });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return (id, await _app.CreateApiKeyAsync(id));
    }

    private async Task<HubConnection> ConnectAsync(string apiKey)
    {
        var server = _app.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, ActivityHub.Path), o =>
            {
                // One WebSocket for the connection's life: with long polling each poll authenticates again, so a revoked
                // key would end the connection without the server closing it.
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
                o.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var client = server.CreateWebSocketClient();
                    client.ConfigureRequest = request => request.Headers["X-Api-Key"] = apiKey;
                    return await client.ConnectAsync(context.Uri, cancellationToken);
                };
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
        await connection.StartAsync();
        // The server registers a connection (OnConnectedAsync) after the handshake that ends StartAsync, and handles its
        // invocations only after that: one round trip makes sure the connection is known before the test acts.
        await connection.InvokeAsync(nameof(ActivityHub.Unsubscribe));
        return connection;
    }

    private List<ActivityEvent> Received()
    {
        lock (_received)
        {
            return [.. _received];
        }
    }
}
