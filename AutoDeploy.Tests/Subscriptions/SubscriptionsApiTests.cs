using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Subscriptions;

/// <summary><c>/api/subscriptions</c> over HTTP: the secret once, validation as problem details, administrators only, the test event.</summary>
[Trait("Database", "App")]
public sealed class SubscriptionsApiTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private WebhookReceiver _receiver = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Subscriptions:Deliver"] = "false";
        _receiver = await WebhookReceiver.StartAsync();
        _api = _app.CreateApiClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Post_answers_201_with_the_secret_once_stored_encrypted_and_never_shown_again()
    {
        var response = await _api.PostAsJsonAsync("/api/subscriptions",
            new SubscriptionRequest("chat", _receiver.Url, EventGroups: [EventGroups.MachineCritical], EventCategories: [EventCategories.AutoDeployBlocked]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<NewSubscription>(ProtocolAgent.Json))!;
        Assert.Equal($"/api/subscriptions/{created.Subscription.Id}", response.Headers.Location!.OriginalString);
        Assert.Matches("^whsec_[0-9a-f]{64}$", created.Secret);
        var list = await _api.GetStringAsync("/api/subscriptions");
        var one = await _api.GetStringAsync($"/api/subscriptions/{created.Subscription.Id}");
        Assert.DoesNotContain(created.Secret, list + one);
        Assert.Contains(created.Secret[..10], one);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        var stored = await db.Subscriptions.SingleAsync();
        Assert.DoesNotContain(created.Secret[6..], stored.ProtectedSecret);
        var audit = string.Join("\n", await db.Events.Select(e => e.Message + e.DetailsJson).ToListAsync());
        Assert.DoesNotContain(created.Secret[6..], audit);
        Assert.DoesNotContain(stored.ProtectedSecret, audit);
    }

    [Fact]
    public async Task Invalid_input_is_a_validation_problem_naming_each_field()
    {
        var response = await _api.PostAsJsonAsync("/api/subscriptions",
            new SubscriptionRequest("", "ftp://example.com/hook", EventGroups: ["Nope"], EventCategories: ["MachineExploded"]));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["eventCategories", "eventGroups", "name", "url"], problem.Errors.Keys.Order());
        Assert.Contains("absolute http:// or https://", problem.Errors["url"][0]);
        Assert.Contains("'MachineExploded'", problem.Errors["eventCategories"][0]);
    }

    [Fact]
    public async Task Unknown_projects_and_environments_and_a_relative_url_are_refused()
    {
        var relative = await _api.PostAsJsonAsync("/api/subscriptions", new SubscriptionRequest("chat", "/hooks/deploys"));
        var unknown = await _api.PostAsJsonAsync("/api/subscriptions",
            new SubscriptionRequest("chat", _receiver.Url, ProjectIds: [999_999], EnvironmentIds: [888_888]));

        Assert.Contains("url", (await ProblemAsync(relative, HttpStatusCode.BadRequest)).Errors.Keys);
        var problem = await ProblemAsync(unknown, HttpStatusCode.BadRequest);
        Assert.Equal("Unknown projects: 999999.", problem.Errors["projectIds"].Single());
        Assert.Equal("Unknown environments: 888888.", problem.Errors["environmentIds"].Single());
    }

    [Fact]
    public async Task A_viewer_may_neither_list_nor_create_subscriptions()
    {
        var viewer = await _app.CreateViewerClientAsync();

        var list = await viewer.GetAsync("/api/subscriptions");
        var create = await viewer.PostAsJsonAsync("/api/subscriptions", new SubscriptionRequest("chat", _receiver.Url));

        await ProblemAsync(list, HttpStatusCode.Forbidden);
        await ProblemAsync(create, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_test_event_is_posted_signed_at_once_and_logged_without_moving_the_cursor()
    {
        var created = await CreateAsync();
        _receiver.FailNext(1, StatusCodes.Status500InternalServerError);

        var failed = await _api.PostAsync($"/api/subscriptions/{created.Subscription.Id}/test", null);
        var ok = await _api.PostAsync($"/api/subscriptions/{created.Subscription.Id}/test", null);

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var first = (await failed.Content.ReadFromJsonAsync<SubscriptionDeliverySummary>(ProtocolAgent.Json))!;
        Assert.Equal((false, (int?)500, (long?)null), (first.Succeeded, first.StatusCode, first.EventId));
        var second = (await ok.Content.ReadFromJsonAsync<SubscriptionDeliverySummary>(ProtocolAgent.Json))!;
        Assert.Equal((true, (int?)200, "thanks"), (second.Succeeded, second.StatusCode, second.Excerpt));
        var received = _receiver.All[^1];
        Assert.True(WebhookSignature.Verify(created.Secret, received.Signature, received.Body));
        Assert.Equal(WebhookPayload.TestCategory, received.Category);
        Assert.True(received.Json.GetProperty("test").GetBoolean());
        Assert.Equal(created.Subscription.Id, received.Json.GetProperty("subscription").GetProperty("id").GetInt32());
        var log = await _api.GetFromJsonAsync<List<SubscriptionDeliverySummary>>($"/api/subscriptions/{created.Subscription.Id}/deliveries",
            ProtocolAgent.Json);
        Assert.Equal([second.Id, first.Id], log!.Select(d => d.Id));
        var after = await _api.GetFromJsonAsync<SubscriptionSummary>($"/api/subscriptions/{created.Subscription.Id}", ProtocolAgent.Json);
        Assert.Equal(created.Subscription.LastEventId, after!.LastEventId);
    }

    [Fact]
    public async Task Pause_and_resume_are_recorded_as_events_and_missing_subscriptions_are_404()
    {
        var created = await CreateAsync();

        var paused = await _api.PostAsync($"/api/subscriptions/{created.Subscription.Id}/pause", null);
        var resumed = await _api.PostAsync($"/api/subscriptions/{created.Subscription.Id}/resume", null);

        Assert.Equal(SubscriptionState.Paused, (await paused.Content.ReadFromJsonAsync<SubscriptionSummary>(ProtocolAgent.Json))!.State);
        Assert.Equal(SubscriptionState.Active, (await resumed.Content.ReadFromJsonAsync<SubscriptionSummary>(ProtocolAgent.Json))!.State);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        Assert.Equal([EventCategories.SubscriptionPaused, EventCategories.SubscriptionResumed],
            await db.Events.Where(e => e.DocumentType == "Subscription" && e.Category.StartsWith("Subscription")).OrderBy(e => e.Id)
                .Select(e => e.Category).ToListAsync());
        await ProblemAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(await _api.PostAsync("/api/subscriptions/999999/test", null), HttpStatusCode.NotFound);
        await ProblemAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(await _api.GetAsync("/api/subscriptions/999999/deliveries"), HttpStatusCode.NotFound);
        await ProblemAsync(await _api.GetAsync($"/api/subscriptions/{created.Subscription.Id}/deliveries?take=0"), HttpStatusCode.BadRequest);
    }

    private async Task<NewSubscription> CreateAsync()
    {
        var response = await _api.PostAsJsonAsync("/api/subscriptions", new SubscriptionRequest("chat", _receiver.Url));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<NewSubscription>(ProtocolAgent.Json))!;
    }
}
