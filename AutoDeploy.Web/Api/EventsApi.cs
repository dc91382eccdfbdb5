using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AutoDeploy.Web.Api;

public static class EventsApi
{
    /// <summary><c>GET /api/events?after=&amp;category=&amp;take=</c>: the event log after a cursor, oldest first (docs/architecture.md §3).</summary>
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/events", GetAfterAsync)
            .RequireAuthorization(Policies.View)
            .WithTags("Events")
            .WithSummary("Events after a cursor, oldest first")
            .WithDescription("Pass the response's 'next' as 'after' to read on. 'category' (repeatable) takes event categories " +
                "or machine event groups; 'take' is 1 to 1000, 100 by default.");
        return api;
    }

    private static async Task<Results<Ok<EventsResponse>, ValidationProblem>> GetAfterAsync(
        EventLogService eventLog, long? after, [FromQuery] string[]? category, int? take, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Paging.Check(errors, take, EventLogService.MaxTake, ("after", after));
        var names = (category ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToList();
        var unknown = names.Where(c => !EventCategories.All.Contains(c) && !EventGroups.Members.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
        {
            errors["category"] = unknown.Select(c => $"Unknown event category or group '{c}'.").ToArray();
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The event query is not valid.");
        }

        var cursor = after ?? 0;
        var categories = EventGroups.Expand(names, names.Where(EventCategories.All.Contains));
        var events = await eventLog.GetAfterAsync(cursor, categories, take ?? EventLogService.DefaultTake, cancellationToken);
        return TypedResults.Ok(new EventsResponse(
            events.Select(EventResponse.From).ToList(), events.Count > 0 ? events[^1].Id : cursor));
    }
}

/// <summary>A page of events, oldest first; <see cref="Next"/> is the cursor to pass as <c>after</c> to read on.</summary>
public sealed record EventsResponse(IReadOnlyList<EventResponse> Events, long Next);

public sealed record EventResponse(
    long Id,
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
    JsonElement? Details)
{
    public static EventResponse From(Event e) => new(
        e.Id, e.OccurredAt, e.Category, e.Actor, e.Message, e.DocumentType, e.DocumentId, e.MachineId, e.EnvironmentId,
        e.PolicyId, e.ProjectId, e.ReleaseId, e.DeploymentId, e.TriggerId,
        e.DetailsJson is null ? null : JsonDocument.Parse(e.DetailsJson).RootElement.Clone());
}
