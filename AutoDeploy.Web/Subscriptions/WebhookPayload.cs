using System.Text.Json;
using System.Text.Json.Serialization;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Subscriptions;

namespace AutoDeploy.Web.Subscriptions;

/// <summary>The JSON body of a delivery: the event as <c>GET /api/events</c> tells it, and the subscription it is for.</summary>
public sealed record WebhookPayload(
    long? Id,
    DateTimeOffset OccurredAt,
    string Category,
    string Actor,
    string Message,
    string? DocumentType,
    int? DocumentId,
    int? MachineId,
    int? EnvironmentId,
    int? PolicyId,
    int? ProjectId,
    int? ReleaseId,
    int? DeploymentId,
    int? TriggerId,
    JsonElement? Details,
    WebhookSubscriptionRef Subscription,
    bool Test = false)
{
    /// <summary>The category of the test event ("Send test event"); never in the Event table.</summary>
    public const string TestCategory = "SubscriptionTest";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static WebhookPayload For(Event e, Subscription subscription) => new(
        e.Id, e.OccurredAt, e.Category, e.Actor, e.Message, e.DocumentType, e.DocumentId, e.MachineId, e.EnvironmentId, e.PolicyId,
        e.ProjectId, e.ReleaseId, e.DeploymentId, e.TriggerId,
        e.DetailsJson is null ? null : JsonDocument.Parse(e.DetailsJson).RootElement.Clone(),
        new WebhookSubscriptionRef(subscription.Id, subscription.Name));

    public static WebhookPayload TestFor(Subscription subscription, string actor, DateTimeOffset now) => new(
        null, now, TestCategory, actor, $"Test event for subscription '{subscription.Name}'", "Subscription", subscription.Id,
        null, null, null, null, null, null, null, null, new WebhookSubscriptionRef(subscription.Id, subscription.Name), Test: true);

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Json);
}

public sealed record WebhookSubscriptionRef(int Id, string Name);
