using AutoDeploy.Domain.Triggers;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>A project's triggers for the trigger screens and the REST API: list, read, create, change as a whole, enable, delete.</summary>
public sealed class TriggerService(IDbContextFactory<AutoDeployDbContext> factory, IValidator<TriggerInput> validator, CurrentAccess current)
{
    private static readonly DocumentSaves<ProjectTrigger> Saves =
        new("trigger", name => $"This project already has a trigger named '{name}'.");

    /// <summary>The project's triggers by name; null when the project does not exist.</summary>
    public async Task<IReadOnlyList<TriggerDetails>?> ListAsync(int projectId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken)
            || !(await current.GetAsync(cancellationToken)).CanViewProject(projectId))
        {
            return null;
        }
        var triggers = await db.Triggers.AsNoTracking().Where(t => t.ProjectId == projectId)
            .OrderBy(t => t.NormalizedName).ToListAsync(cancellationToken);
        return triggers.Select(TriggerDetails.From).ToList();
    }

    public async Task<TriggerDetails?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var trigger = await db.Triggers.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return trigger is null || !(await current.GetAsync(cancellationToken)).CanViewProject(trigger.ProjectId)
            ? null
            : TriggerDetails.From(trigger);
    }

    /// <summary>The project's name and the environments in display order, for the editor; null when the project does not exist.</summary>
    public async Task<TriggerProject?> GetProjectAsync(int projectId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var name = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken);
        if (name is null || !(await current.GetAsync(cancellationToken)).CanViewProject(projectId))
        {
            return null;
        }
        var environments = await db.Environments.AsNoTracking().OrderBy(e => e.SortOrder).ThenBy(e => e.Id)
            .Select(e => new EnvironmentOption(e.Id, e.Name)).ToListAsync(cancellationToken);
        return new TriggerProject(projectId, name, environments);
    }

    public async Task<SaveResult<TriggerDetails>> CreateAsync(int projectId, TriggerInput input, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.EditProject, projectId, $"Project {projectId}", cancellationToken) is { } refused)
        {
            return refused;
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
        {
            return SaveResult.NotFound($"Project {projectId} does not exist.");
        }
        input = input.Normalized();
        if (await ProblemsAsync(db, input, cancellationToken) is { } problems)
        {
            return problems;
        }
        if (await Saves.TakenAsync(ProjectTriggers(db, projectId), input.Name, null, cancellationToken))
        {
            return Saves.Conflict(input.Name);
        }
        var trigger = ProjectTrigger.Create(projectId, input.Name);
        Apply(trigger, input);
        db.Triggers.Add(trigger);
        return await SaveAsync(db, trigger, cancellationToken);
    }

    /// <summary>
    /// Replaces the trigger with <paramref name="input"/>. <paramref name="version"/> is the version the user loaded;
    /// if someone saved since, nothing is written and the result is Stale.
    /// </summary>
    public async Task<SaveResult<TriggerDetails>> UpdateAsync(int id, TriggerInput input, int? version, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var trigger = await db.Triggers.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (trigger is null)
        {
            return NotFound(id);
        }
        if (await current.RefusalAsync(Permission.EditProject, trigger.ProjectId, $"Trigger {id}", cancellationToken) is { } refused)
        {
            return refused;
        }
        input = input.Normalized();
        if (await ProblemsAsync(db, input, cancellationToken) is { } problems)
        {
            return problems;
        }
        if (Saves.IsStale(db, trigger, version))
        {
            return SaveResult.Stale(Saves.Label);
        }
        if (await Saves.TakenAsync(ProjectTriggers(db, trigger.ProjectId), input.Name, id, cancellationToken))
        {
            return Saves.Conflict(input.Name);
        }
        trigger.Rename(input.Name);
        Apply(trigger, input);
        return await SaveAsync(db, trigger, cancellationToken);
    }

    public async Task<SaveResult<TriggerDetails>> SetEnabledAsync(int id, bool enabled, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var trigger = await db.Triggers.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (trigger is null)
        {
            return NotFound(id);
        }
        if (await current.RefusalAsync(Permission.EditProject, trigger.ProjectId, $"Trigger {id}", cancellationToken) is { } refused)
        {
            return refused;
        }
        trigger.IsEnabled = enabled;
        return await SaveAsync(db, trigger, cancellationToken);
    }

    public async Task<SaveResult> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var trigger = await db.Triggers.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (trigger is null)
        {
            return NotFound(id);
        }
        if (await current.RefusalAsync(Permission.EditProject, trigger.ProjectId, $"Trigger {id}", cancellationToken) is { } refused)
        {
            return refused;
        }
        db.Triggers.Remove(trigger);
        return await Saves.SaveAsync(db, cancellationToken);
    }

    /// <summary>The validator's messages and any environment that does not exist, per field; null when the input may be saved.</summary>
    private async Task<SaveResult?> ProblemsAsync(AutoDeployDbContext db, TriggerInput input, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        var errors = validation.Errors.Select(e => (Field: e.PropertyName, Message: e.ErrorMessage)).ToList();
        if (input.EnvironmentIds.Count > 0)
        {
            var known = await db.Environments.Where(e => input.EnvironmentIds.Contains(e.Id)).Select(e => e.Id).ToListAsync(cancellationToken);
            var unknown = input.EnvironmentIds.Except(known).ToList();
            if (unknown.Count > 0)
            {
                errors.Add((nameof(TriggerInput.EnvironmentIds), unknown.Count == 1
                    ? $"Environment {unknown[0]} does not exist."
                    : $"Environments {string.Join(", ", unknown)} do not exist."));
            }
        }
        return errors.Count == 0
            ? null
            : new SaveResult(SaveStatus.Invalid, "Please correct the errors.",
                errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
    }

    private static void Apply(ProjectTrigger trigger, TriggerInput input)
    {
        trigger.Description = input.Description;
        trigger.IsEnabled = input.IsEnabled;
        trigger.EnvironmentIds = input.EnvironmentIds;
        trigger.Roles = input.Roles;
        trigger.EventGroups = input.EventGroups;
        trigger.EventCategories = input.EventCategories;
        trigger.Redeploy = input.Redeploy;
        trigger.Action = input.Action;
    }

    private static async Task<SaveResult<TriggerDetails>> SaveAsync(AutoDeployDbContext db, ProjectTrigger trigger, CancellationToken cancellationToken)
    {
        var exceptId = trigger.Id == 0 ? (int?)null : trigger.Id;
        var saved = await Saves.SaveAsync(db, ProjectTriggers(db, trigger.ProjectId), trigger.Name, exceptId, cancellationToken);
        return saved.Succeeded ? new SaveResult<TriggerDetails>(saved, TriggerDetails.From(trigger)) : saved;
    }

    /// <summary>A trigger's name is unique within its project.</summary>
    private static IQueryable<ProjectTrigger> ProjectTriggers(AutoDeployDbContext db, int projectId) =>
        db.Triggers.Where(t => t.ProjectId == projectId);

    private static SaveResult NotFound(int id) => SaveResult.NotFound($"Trigger {id} does not exist.");
}
