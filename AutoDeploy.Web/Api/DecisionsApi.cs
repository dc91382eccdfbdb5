using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using FluentValidation;

namespace AutoDeploy.Web.Api;

/// <summary>
/// The auto-deploy engine's decisions, newest first (<c>/api/machines/{id}/decisions</c>, <c>/api/triggers/{id}/decisions</c>),
/// and the trigger editor's preview (<c>POST /api/projects/{id}/triggers/preview</c>), which runs the engine's planner and writes nothing.
/// </summary>
public static class DecisionsApi
{
    /// <summary>Decisions in a page when the caller does not say.</summary>
    public const int DefaultTake = 50;

    public static RouteGroupBuilder MapDecisionsApi(this RouteGroupBuilder api)
    {
        api.MapDecisions("/machines/{id:int}/decisions", "Machines", (queries, id, before, take, ct) => queries.PageForMachineAsync(id, before, take, ct),
                id => $"Machine {id} was not found.")
            .WithSummary("The engine's decisions about a machine, newest first: what it queued and why it queued nothing");
        api.MapDecisions("/triggers/{id:int}/decisions", "Triggers", (queries, id, before, take, ct) => queries.PageForTriggerAsync(id, before, take, ct),
                id => $"Trigger {id} does not exist.")
            .WithSummary("The engine's decisions for a trigger, newest first");

        api.MapPost("/projects/{projectId:int}/triggers/preview", PreviewAsync)
            .RequireAuthorization(Policies.View)
            .WithTags("Triggers")
            .Produces<TriggerPreviewAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("What the engine would decide if these machines (default: every machine in the trigger's environments) " +
                         "raised the event now, with the trigger as given as the project's only trigger; writes nothing");
        return api;
    }

    /// <summary>A page of decisions about one machine or trigger (<paramref name="load"/>: null when it does not exist).</summary>
    private static RouteHandlerBuilder MapDecisions(this RouteGroupBuilder api, string pattern, string tag,
        Func<AutoDeployDecisionQueries, int, long?, int, CancellationToken, Task<IReadOnlyList<AutoDeployDecisionView>?>> load,
        Func<int, string> notFound) =>
        api.MapGet(pattern, async Task<IResult> (int id, long? before, int? take, AutoDeployDecisionQueries queries, CancellationToken ct) =>
                Paging.Problem(take, AutoDeployDecisionQueries.MaxTake, ("before", before))
                ?? (await load(queries, id, before, take ?? DefaultTake, ct) is { } page
                    ? TypedResults.Ok(page.Select(DecisionAnswer.From).ToList())
                    : SaveResult.NotFound(notFound(id)).ToProblem()))
            .RequireAuthorization(Policies.View)
            .WithTags(tag)
            .Produces<List<DecisionAnswer>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> PreviewAsync(int projectId, TriggerPreviewRequest request, TriggerService triggers,
        TriggerPreviewService previews, IValidator<TriggerInput> validator, CancellationToken ct)
    {
        var project = await triggers.GetProjectAsync(projectId, ct);
        if (project is null)
        {
            return SaveResult.NotFound($"Project {projectId} does not exist.").ToProblem();
        }
        var input = (request.Trigger ?? new TriggerRequest(null)).ToInput();
        // The trigger's own rules, as when it is saved; a preview may leave out the name and the events, as the editor's may.
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            input.Name = "Preview";
        }
        var validation = await validator.ValidateAsync(input, ct);
        var noEvents = input.EventGroups.Count == 0 && input.EventCategories.Count == 0;
        validation.Errors.RemoveAll(e => noEvents && e.PropertyName is nameof(TriggerInput.EventGroups) or nameof(TriggerInput.EventCategories));
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation).ToProblem();
        }
        var category = string.IsNullOrWhiteSpace(request.Category) ? EventCategories.MachineHealthy : request.Category.Trim();
        var errors = new Dictionary<string, string[]>();
        if (!EventCategories.Machine.Contains(category))
        {
            errors["category"] = [$"'{category}' is not a machine event; use one of {string.Join(", ", EventCategories.Machine)}."];
        }
        var machines = await previews.MachinesAsync(project.Environments.Select(e => e.Id).ToList(), ct);
        var candidates = TriggerPreviewService.Candidates(machines, input.EnvironmentIds).Select(m => m.Id).ToHashSet();
        var outside = (request.MachineIds ?? []).Where(id => !candidates.Contains(id)).ToList();
        if (outside.Count > 0)
        {
            errors["machineIds"] = [$"Not in the trigger's environments: {string.Join(", ", outside.Take(20))}{(outside.Count > 20 ? ", …" : "")}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var raising = TriggerPreviewService.Raising(machines, input.EnvironmentIds, request.MachineIds ?? []);
        var preview = await previews.PreviewAsync(projectId, request.TriggerId ?? 0, input, raising, category, ct);
        return TypedResults.Ok(new TriggerPreviewAnswer(
            preview.Decisions.Select(d => new PreviewDecision(d.Kind, d.MachineId, d.MachineName, d.EnvironmentId, d.ReleaseId, d.ReleaseVersion, d.Reason)).ToList(),
            preview.Deployments));
    }
}

/// <summary>
/// One decision of the engine. <c>Kind</c>: Queued, AlreadyInstalled, AlreadyPending, WaitingForDeployment, NoRelease,
/// NoMatchingStep, RetryScheduled, Blocked, NotApplicable or NotDeployable. Blocked, NoRelease and NoMatchingStep (event
/// category AutoDeployBlocked) need someone to act; Queued is AutoDeployTriggered; NotApplicable (the trigger or project
/// disabled, the machine outside its environments or roles) and NotDeployable (the machine disabled, unhealthy or
/// unavailable) are AutoDeployNotApplicable, the "why not"; the others are AutoDeployNoAction.
/// </summary>
public sealed record DecisionAnswer(
    long EventId, DateTimeOffset OccurredAt, string Kind, string Reason, int? MachineId, string? MachineName, int? TriggerId,
    string? TriggerName, int? DeploymentId)
{
    public static DecisionAnswer From(AutoDeployDecisionView view) => new(view.EventId, view.OccurredAt,
        view.Queued ? nameof(DecisionKind.Queued) : view.Kind ?? nameof(DecisionKind.Blocked), view.Reason, view.MachineId,
        view.MachineName, view.TriggerId, view.TriggerName, view.DeploymentId);
}

/// <summary>
/// The body of <c>POST /api/projects/{id}/triggers/preview</c>: the trigger as it would be saved (<c>TriggerId</c> when it is
/// an existing one), the machines that raise the event (default: all candidates) and the event (default MachineHealthy).
/// </summary>
public sealed record TriggerPreviewRequest(TriggerRequest? Trigger, List<int>? MachineIds = null, string? Category = null, int? TriggerId = null);

public sealed record PreviewDecision(DecisionKind Kind, int MachineId, string MachineName, int EnvironmentId, int? ReleaseId,
    string? ReleaseVersion, string Reason);

public sealed record TriggerPreviewAnswer(IReadOnlyList<PreviewDecision> Decisions, IReadOnlyList<PreviewDeployment> Deployments);
