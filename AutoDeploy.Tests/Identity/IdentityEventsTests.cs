using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Identity;

/// <summary>
/// Every change to who may do what is an event with its actor: users created, their roles changed, disabled, deleted, API
/// keys created and revoked (never the key, a prefix at most). Administrators see these events; other users do not.
/// </summary>
[Trait("Database", "App")]
public sealed class IdentityEventsTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _admin = app.CreateApiClient();

    [Fact]
    public async Task A_user_s_life_is_recorded_with_the_administrator_as_actor()
    {
        var cursor = await CursorAsync();
        var email = $"{Guid.NewGuid():N}@events.test";
        var created = await _admin.PostAsJsonAsync("/api/users", new { email, password = "Events-Passw0rd!", role = "Viewer" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await _admin.PutAsJsonAsync($"/api/users/{id}/assignments", new { assignments = new[] { new { role = "Deployer" } } });
        await _admin.PostAsync($"/api/users/{id}/disable", null);
        await _admin.DeleteAsync($"/api/users/{id}");

        var events = (await EventsAfterAsync(cursor)).Where(e => e.Message.Contains(email, StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [EventCategories.UserCreated, EventCategories.UserRolesChanged, EventCategories.UserDisabled, EventCategories.UserDeleted],
            events.Select(e => e.Category));
        Assert.All(events, e => Assert.Equal(AutoDeployAppFactory.AdminEmail, e.Actor));
        Assert.Equal($"{email}: Viewer → Deployer", events[1].Message);
    }

    [Fact]
    public async Task An_api_key_s_creation_and_revocation_are_recorded_with_its_prefix_never_the_key()
    {
        var cursor = await CursorAsync();

        var created = await (await _admin.PostAsJsonAsync("/api/me/api-keys", new { name = "CI pipeline" })).Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("secret").GetString()!;
        var prefix = created.GetProperty("key").GetProperty("prefix").GetString()!;
        await _admin.DeleteAsync($"/api/me/api-keys/{created.GetProperty("key").GetProperty("id").GetInt32()}");

        var raw = await _admin.GetStringAsync($"/api/events?after={cursor}");
        var events = (await EventsAfterAsync(cursor)).Where(e => e.Category.StartsWith("ApiKey", StringComparison.Ordinal)).ToList();
        Assert.Equal([EventCategories.ApiKeyCreated, EventCategories.ApiKeyRevoked], events.Select(e => e.Category));
        Assert.All(events, e => Assert.Contains($"'CI pipeline' ({prefix}…)", e.Message));
        Assert.DoesNotContain(secret, raw);
        Assert.DoesNotContain(secret[prefix.Length..], raw);
    }

    [Fact]
    public async Task A_viewer_does_not_see_identity_events()
    {
        var cursor = await CursorAsync();
        using var viewer = await app.CreateViewerClientAsync();
        await _admin.PostAsJsonAsync("/api/users", new { email = $"{Guid.NewGuid():N}@events.test", password = "Events-Passw0rd!", role = "Viewer" });
        await _admin.PostAsJsonAsync("/api/environments", new { name = $"Seen-{Guid.NewGuid():N}"[..20] });

        var seen = (await viewer.GetFromJsonAsync<EventsPage>($"/api/events?after={cursor}"))!.Events;

        Assert.Contains(seen, e => e.Category == EventCategories.Created);
        Assert.DoesNotContain(seen, e => EventCategories.UserAdministration.Contains(e.Category));
    }

    private async Task<long> CursorAsync() => (await _admin.GetFromJsonAsync<EventsPage>("/api/events?after=0&take=1000"))!.Next;

    private async Task<List<EventRow>> EventsAfterAsync(long cursor) =>
        (await _admin.GetFromJsonAsync<EventsPage>($"/api/events?after={cursor}&take=1000"))!.Events;

    private sealed record EventsPage(List<EventRow> Events, long Next);

    private sealed record EventRow(long Id, string Category, string Message, string Actor);
}
