using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Subscriptions;

/// <summary>
/// The delivery worker of the running app against a real receiver on Kestrel: a deployment's events arrive in order and
/// signed, after an outage of the receiver too, and a receiver that hangs is cut off and tried again. The back-off is a
/// few milliseconds here; <see cref="SubscriptionDelivererTests"/> drives it with a fake clock.
/// </summary>
[Trait("Database", "App")]
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private WebhookReceiver _receiver = null!;
    private HttpClient _api = null!;
    private DeploymentScenario _scenario = null!;
    private long _subscribedAfter;

    public async Task InitializeAsync()
    {
        _app.Settings["Subscriptions:RetryBackoff"] = "00:00:00.050";
        _app.Settings["Subscriptions:LongestBackoff"] = "00:00:00.200";
        // Long enough that a healthy receiver on a loaded machine answers in time (a late answer is cut off and delivered
        // again, which is right for a receiver but not what these tests look for); the hanging receiver waits it out once.
        _app.Settings["Subscriptions:Timeout"] = "00:00:05";
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _receiver = await WebhookReceiver.StartAsync();
        _api = _app.CreateApiClient();
        _scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_receiver_gets_every_event_of_a_deployment_in_order_and_signed()
    {
        var secret = await SubscribeAsync();

        var deployment = await DeployAsync();

        var expected = await DeploymentEventIdsAsync(deployment);
        await Eventually.TrueAsync(async () => _receiver.Accepted.Count >= expected.Count && await EndedAsync(deployment),
            because: () => $"{_receiver.Accepted.Count} of {expected.Count} received");
        expected = await DeploymentEventIdsAsync(deployment);
        Assert.Equal(expected, _receiver.Accepted.Select(r => r.EventId!.Value));
        Assert.Contains(EventCategories.DeploymentSucceeded, _receiver.Accepted.Select(r => r.Category));
        Assert.All(_receiver.All, r => Assert.True(WebhookSignature.Verify(secret, r.Signature, r.Body), $"bad signature on {r.EventId}"));
        Assert.All(_receiver.All, r => Assert.Equal(r.Category, r.EventHeader));
        Assert.False(WebhookSignature.Verify("whsec_wrong", _receiver.All[0].Signature, _receiver.All[0].Body));
    }

    [Fact]
    public async Task A_receiver_that_fails_first_gets_every_event_after_its_outage_in_order()
    {
        _receiver.FailNext(4);
        var secret = await SubscribeAsync();

        var deployment = await DeployAsync();

        var expected = await DeploymentEventIdsAsync(deployment);
        await Eventually.TrueAsync(async () => _receiver.Accepted.Count >= (expected = await DeploymentEventIdsAsync(deployment)).Count
            && await EndedAsync(deployment), because: () => $"{_receiver.Accepted.Count} of {expected.Count} received");
        Assert.Equal(expected, _receiver.Accepted.Select(r => r.EventId!.Value));
        var refused = _receiver.All.Where(r => r.AnsweredStatus == 503).ToList();
        Assert.Equal(4, refused.Count);
        Assert.All(refused, r => Assert.Equal(expected[0], r.EventId));
        Assert.All(_receiver.All, r => Assert.True(WebhookSignature.Verify(secret, r.Signature, r.Body)));
        var log = await LogAsync();
        Assert.Equal([503, 503, 503, 503, 200], log.OrderBy(d => d.Id).Take(5).Select(d => d.StatusCode ?? 0));
        Assert.Equal([1, 2, 3, 4, 5], log.OrderBy(d => d.Id).Take(5).Select(d => d.Attempt));
        Assert.Contains("receiver is down", log.First(d => d.StatusCode == 503).Excerpt);
    }

    [Fact]
    public async Task A_receiver_that_hangs_is_cut_off_by_the_timeout_and_the_event_is_delivered_on_a_retry()
    {
        _receiver.HangNext(1);
        await SubscribeAsync();

        var deployment = await DeployAsync();

        var expected = await DeploymentEventIdsAsync(deployment);
        await Eventually.TrueAsync(async () => _receiver.Accepted.Count >= (expected = await DeploymentEventIdsAsync(deployment)).Count
            && await EndedAsync(deployment), because: () => $"{_receiver.Accepted.Count} of {expected.Count} received");
        Assert.Equal(expected, _receiver.Accepted.Select(r => r.EventId!.Value));
        var first = (await LogAsync()).MinBy(d => d.Id)!;
        Assert.Equal((false, (int?)null, expected[0]), (first.Succeeded, first.StatusCode, first.EventId));
        Assert.Contains("No answer within 5 s", first.Excerpt);
        // It waited the timeout out (no upper bound: how late the cut-off lands depends on the machine).
        Assert.True(first.DurationMs >= 4_900, $"cut off after {first.DurationMs} ms");
    }

    /// <summary>Subscribes the receiver to the scenario's project; returns the secret.</summary>
    private async Task<string> SubscribeAsync()
    {
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync())
        {
            _subscribedAfter = await db.Events.MaxAsync(e => e.Id);
        }
        var response = await _api.PostAsJsonAsync("/api/subscriptions",
            new SubscriptionRequest("chat", _receiver.Url, ProjectIds: [_scenario.Project.Id]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<NewSubscription>(ProtocolAgent.Json))!.Secret;
    }

    /// <summary>Deploys to one machine whose agent (spoken step by step) succeeds; returns the deployment's id.</summary>
    private async Task<int> DeployAsync()
    {
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");
        var agent = new ProtocolAgent(_app.CreateClient(), token);
        var deployment = await _api.DeployAsync(_scenario);
        var job = await agent.NextJobAsync();
        await agent.LogAsync(job.JobId, "installed");
        await agent.CompleteAsync(job.JobId, JobOutcome.Succeeded, 0);
        var ended = await _api.WaitForDeploymentEndAsync(deployment.Id);
        Assert.Equal(DeploymentState.Success, ended.Deployment.State);
        return deployment.Id;
    }

    private async Task<bool> EndedAsync(int deploymentId)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        return await db.Events.AnyAsync(e => e.DeploymentId == deploymentId && e.Category == EventCategories.DeploymentSucceeded);
    }

    /// <summary>The ids of the project's events (the subscription's filter), in id order.</summary>
    private async Task<List<long>> DeploymentEventIdsAsync(int deploymentId)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        var ids = await db.Events.Where(e => e.ProjectId == _scenario.Project.Id && e.Id > _subscribedAfter).OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.DeploymentId }).ToListAsync();
        Assert.Contains(ids, e => e.DeploymentId == deploymentId);
        return ids.Select(e => e.Id).ToList();
    }

    private async Task<List<SubscriptionDeliverySummary>> LogAsync()
    {
        var subscription = (await _api.GetFromJsonAsync<List<SubscriptionSummary>>("/api/subscriptions", ProtocolAgent.Json))!.Single();
        return (await _api.GetFromJsonAsync<List<SubscriptionDeliverySummary>>($"/api/subscriptions/{subscription.Id}/deliveries?take=200",
            ProtocolAgent.Json))!;
    }
}
