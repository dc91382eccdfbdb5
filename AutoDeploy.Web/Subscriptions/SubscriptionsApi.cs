using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;

namespace AutoDeploy.Web.Subscriptions;

/// <summary><c>/api/subscriptions</c>: webhooks, administrators only (they send the event log to another server).</summary>
public static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptionsApi(this RouteGroupBuilder api)
    {
        var subscriptions = api.MapGroup("/subscriptions").WithTags("Subscriptions").RequireAuthorization(Policies.Administer);

        subscriptions.MapGet("/", async (SubscriptionService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(await service.ListAsync(cancellationToken)))
            .WithSummary("Every subscription by name: what it delivers where, its state and cursor (never its secret)");

        subscriptions.MapGet("/{id:int}", async (int id, SubscriptionService service, CancellationToken cancellationToken) =>
                await service.GetAsync(id, cancellationToken) is { } subscription ? Results.Ok(subscription) : NotFound(id))
            .Produces<SubscriptionSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One subscription");

        subscriptions.MapPost("/", async (SubscriptionRequest request, SubscriptionService service, CancellationToken cancellationToken) =>
            {
                var (result, created) = await service.CreateAsync(request.ToInput(), cancellationToken);
                return result.Succeeded ? Results.Created($"/api/subscriptions/{created!.Subscription.Id}", created) : result.ToProblem();
            })
            .Produces<NewSubscription>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates a subscription that delivers the events from now on; the answer's secret (whsec_...) is shown this once. " +
                         "Empty eventGroups, eventCategories, projectIds or environmentIds mean all");

        subscriptions.MapPut("/{id:int}", async (int id, SubscriptionRequest request, SubscriptionService service, CancellationToken cancellationToken) =>
            {
                var (result, subscription) = await service.UpdateAsync(id, request.ToInput(), request.Version, cancellationToken);
                return result.Succeeded ? Results.Ok(subscription) : result.ToProblem();
            })
            .Produces<SubscriptionSummary>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Changes a subscription (its secret stays); a failing one tries again at once; a stale version is refused with 409");

        subscriptions.MapDelete("/{id:int}", async (int id, SubscriptionService service, CancellationToken cancellationToken) =>
            {
                var deleted = await service.DeleteAsync(id, cancellationToken);
                return deleted.Succeeded ? Results.NoContent() : deleted.ToProblem();
            })
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Deletes a subscription and its delivery log");

        subscriptions.MapPost("/{id:int}/pause", (int id, SubscriptionService service, CancellationToken cancellationToken) =>
                SetPausedAsync(service, id, true, cancellationToken))
            .Produces<SubscriptionSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Pauses a subscription: events wait (nothing is lost) until it is resumed");

        subscriptions.MapPost("/{id:int}/resume", (int id, SubscriptionService service, CancellationToken cancellationToken) =>
                SetPausedAsync(service, id, false, cancellationToken))
            .Produces<SubscriptionSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Resumes a paused subscription: it delivers the events that waited, in order, with a fresh back-off");

        subscriptions.MapPost("/{id:int}/test", async (int id, SubscriptionService service, CancellationToken cancellationToken) =>
            {
                var (result, delivery) = await service.SendTestAsync(id, cancellationToken);
                return result.Succeeded ? Results.Ok(delivery) : result.ToProblem();
            })
            .Produces<SubscriptionDeliverySummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Sends a signed test event (category SubscriptionTest) now and answers what the receiver did; logged, the cursor stays");

        subscriptions.MapGet("/{id:int}/deliveries", async (int id, int? take, SubscriptionService service, CancellationToken cancellationToken) =>
            {
                if (Paging.Problem(take, SubscriptionService.MaxDeliveriesShown) is { } problem)
                {
                    return problem;
                }
                return await service.DeliveriesAsync(id, take ?? 50, cancellationToken) is { } deliveries ? Results.Ok(deliveries) : NotFound(id);
            })
            .Produces<IReadOnlyList<SubscriptionDeliverySummary>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The delivery log, newest first: time, event, HTTP status, duration and the start of the answer; 'take' 1 to 200, 50 by default");

        return api;
    }

    private static async Task<IResult> SetPausedAsync(SubscriptionService service, int id, bool paused, CancellationToken cancellationToken)
    {
        var (result, subscription) = await service.SetPausedAsync(id, paused, cancellationToken);
        return result.Succeeded ? Results.Ok(subscription) : result.ToProblem();
    }

    private static IResult NotFound(int id) => SaveResult.NotFound($"Subscription {id} does not exist.").ToProblem();
}

/// <summary>The body of <c>POST</c> and <c>PUT /api/subscriptions</c>. <c>Version</c> (PUT only) is the version the client read.</summary>
public sealed record SubscriptionRequest(
    string? Name, string? Url, List<string?>? EventGroups = null, List<string?>? EventCategories = null, List<int>? ProjectIds = null,
    List<int>? EnvironmentIds = null, int? Version = null)
{
    public SubscriptionInput ToInput() => new()
    {
        Name = Name ?? "",
        Url = Url ?? "",
        EventGroups = (EventGroups ?? []).Select(g => g ?? "").ToList(),
        EventCategories = (EventCategories ?? []).Select(c => c ?? "").ToList(),
        ProjectIds = ProjectIds ?? [],
        EnvironmentIds = EnvironmentIds ?? [],
    };
}
