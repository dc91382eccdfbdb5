using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// A user as lists show them: <see cref="Role"/> sums up the <see cref="Assignments"/> in a word (<see cref="RolePresets"/>);
/// <see cref="Disabled"/>: cannot sign in, API keys refused.
/// </summary>
public sealed record UserSummary(string Id, string Email, string Role, bool Disabled = false)
{
    public IReadOnlyList<RoleAssignment> Assignments { get; init; } = [];
}

/// <summary>What the Users page offers to limit a role to.</summary>
public sealed record AssignmentOptions(IReadOnlyList<(int Id, string Name)> Environments, IReadOnlyList<(int Id, string Name)> Projects);

/// <summary>
/// Users and their role assignments, for the Users page, the set-up page and the API; every change is an event. Each operation takes a fresh
/// scope, so a long-lived Blazor circuit never works on a stale UserManager.
/// </summary>
public sealed class UserService(IServiceScopeFactory scopes, IValidator<NewUserInput> validator, SetupState setup, TimeProvider time,
    IValidator<List<RoleAssignmentInput>> assignmentsValidator)
{
    /// <summary>
    /// Serializes the checks "no user yet" and "another administrator remains" with the change they guard: in process,
    /// and across nodes by a database lock (<see cref="AutoDeployDbContext.LockForTransactionAsync"/>) on this key.
    /// </summary>
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private const long UsersLockKey = 0x4164_5573_6572_7301;

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutoDeployDbContext>();
        var users = await db.Users.OrderBy(u => u.NormalizedEmail)
            .Select(u => new { u.Id, u.Email, Disabled = u.DisabledAt != null }).ToListAsync(cancellationToken);
        var summaries = new List<UserSummary>(users.Count);
        foreach (var u in users)
        {
            var assignments = await AccessLoader.AssignmentsAsync(db, u.Id, cancellationToken);
            summaries.Add(new UserSummary(u.Id, u.Email ?? "", RolePresets.Summarize(assignments), u.Disabled) { Assignments = assignments });
        }
        return summaries;
    }

    /// <summary>The environments and projects an assignment may be limited to, by name.</summary>
    public async Task<AssignmentOptions> AssignmentOptionsAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutoDeployDbContext>();
        var environments = await db.Environments.OrderBy(e => e.SortOrder).ThenBy(e => e.Id).Select(e => new { e.Id, e.Name })
            .ToListAsync(cancellationToken);
        var projects = await db.Projects.OrderBy(p => p.Name).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
        return new AssignmentOptions([.. environments.Select(e => (e.Id, e.Name))], [.. projects.Select(p => (p.Id, p.Name))]);
    }

    public async Task<SaveResult<UserSummary>> CreateAsync(NewUserInput input, CancellationToken cancellationToken = default)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AutoDeployUser>>();
        var assignments = input.Assignments?.Select(a => a.ToAssignment()).ToList() ?? RolePresets.For(input.Role)!;
        var db = scope.ServiceProvider.GetRequiredService<AutoDeployDbContext>();
        if (await UnknownIdsAsync(db, assignments, cancellationToken) is { } unknown)
        {
            return unknown;
        }
        return await CreateInScopeAsync(scope.ServiceProvider, users, input.Email.Trim(), input.Password, assignments, cancellationToken);
    }

    /// <summary>The first-run administrator: refused once any user exists.</summary>
    public async Task<SaveResult<UserSummary>> CreateFirstAdministratorAsync(string email, string password,
        CancellationToken cancellationToken = default)
    {
        var input = new NewUserInput { Email = email, Password = password, Role = Roles.Administrator };
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        await Gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AutoDeployUser>>();
            var db = scope.ServiceProvider.GetRequiredService<AutoDeployDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.LockForTransactionAsync(UsersLockKey, cancellationToken);
            if (await users.Users.AnyAsync(cancellationToken))
            {
                setup.MarkComplete();
                return SaveResult.Conflict("AutoDeploy is already set up: sign in instead.");
            }
            var created = await CreateInScopeAsync(scope.ServiceProvider, users, email.Trim(), password,
                RolePresets.For(Roles.Administrator)!, cancellationToken);
            if (created.Result.Succeeded)
            {
                await transaction.CommitAsync(cancellationToken);
                setup.MarkComplete();
            }
            return created;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Replaces a user's assignments with a preset's (<see cref="RolePresets"/>).</summary>
    public Task<SaveResult> ChangeRoleAsync(string userId, string role, string actingUserId, CancellationToken cancellationToken = default) =>
        RolePresets.For(role) is { } preset
            ? SetAssignmentsAsync(userId, preset, actingUserId, cancellationToken)
            : Task.FromResult(SaveResult.Invalid("Role", $"Choose one of the roles: {string.Join(", ", Roles.All)}."));

    /// <summary>
    /// Replaces a user's role assignments; signs them out within a minute and closes their hub connections, so the change
    /// takes effect. Refused for yourself and when it would leave no enabled administrator.
    /// </summary>
    public async Task<SaveResult> SetAssignmentsAsync(string userId, List<RoleAssignmentInput>? inputs, string actingUserId,
        CancellationToken cancellationToken = default)
    {
        var validation = await assignmentsValidator.ValidateAsync(inputs ?? [], cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        return await SetAssignmentsAsync(userId, inputs!.Select(a => a.ToAssignment()).ToList(), actingUserId, cancellationToken);
    }

    private async Task<SaveResult> SetAssignmentsAsync(string userId, IReadOnlyList<RoleAssignment> assignments, string actingUserId,
        CancellationToken cancellationToken)
    {
        if (userId == actingUserId)
        {
            return SaveResult.Conflict("You cannot change your own roles; ask another administrator.");
        }
        return await ChangeAsync(userId, cancellationToken, async (users, db, user, currentRoles) =>
        {
            if (await UnknownIdsAsync(db, assignments, cancellationToken) is { } unknown)
            {
                return unknown;
            }
            var before = await AccessLoader.AssignmentsAsync(db, user.Id, cancellationToken);
            if (before.Select(a => a.Key).SequenceEqual(assignments.Select(a => a.Key)))
            {
                return SaveResult.Saved;
            }
            var keepsAdministrator = assignments.Any(a => a.Role == AssignedRoles.Administrator);
            if (currentRoles.Contains(Roles.Administrator) && !keepsAdministrator && await IsLastAdministratorAsync(users, user))
            {
                return SaveResult.Conflict($"{user.Email} is the last administrator; make someone else an administrator first.");
            }
            var names = await NamesAsync(db, [.. before, .. assignments], cancellationToken);
            db.Record(new DomainEvent(EventCategories.UserRolesChanged,
                $"{user.Email}: {names.Describe(before)} → {names.Describe(assignments)}",
                Details: new { userId = user.Id, email = user.Email, before = names.Texts(before), after = names.Texts(assignments) }));
            await ApplyAsync(users, db, user, currentRoles, assignments, cancellationToken);
            // Signs the user out within a minute (cookie and circuit revalidation), so the new roles take effect.
            await Check(users.UpdateSecurityStampAsync(user));
            return SaveResult.Saved;
        });
    }

    public async Task<SaveResult> DeleteAsync(string userId, string actingUserId, CancellationToken cancellationToken = default)
    {
        if (userId == actingUserId)
        {
            return SaveResult.Conflict("You cannot delete yourself.");
        }
        return await ChangeAsync(userId, cancellationToken, async (users, db, user, currentRoles) =>
        {
            if (currentRoles.Contains(Roles.Administrator) && await IsLastAdministratorAsync(users, user))
            {
                return SaveResult.Conflict($"{user.Email} is the last administrator and cannot be deleted.");
            }
            db.Record(new DomainEvent(EventCategories.UserDeleted, $"User {user.Email} deleted, with their API keys",
                Details: new { userId = user.Id, email = user.Email }));
            await Check(users.DeleteAsync(user));
            return SaveResult.Saved;
        });
    }

    /// <summary>
    /// Disables a user (they cannot sign in, their API keys are refused, open sessions end within a minute) or enables
    /// them again. Refused for yourself and for the last enabled administrator.
    /// </summary>
    public async Task<SaveResult> SetDisabledAsync(string userId, bool disabled, string actingUserId, CancellationToken cancellationToken = default)
    {
        if (userId == actingUserId)
        {
            return SaveResult.Conflict($"You cannot {(disabled ? "disable" : "enable")} yourself.");
        }
        return await ChangeAsync(userId, cancellationToken, async (users, db, user, currentRoles) =>
        {
            if (disabled == user.DisabledAt is not null)
            {
                return SaveResult.Saved;
            }
            if (disabled && currentRoles.Contains(Roles.Administrator) && await IsLastAdministratorAsync(users, user))
            {
                return SaveResult.Conflict($"{user.Email} is the last enabled administrator and cannot be disabled.");
            }
            user.DisabledAt = disabled ? time.GetUtcNow() : null;
            db.Record(new DomainEvent(disabled ? EventCategories.UserDisabled : EventCategories.UserEnabled,
                $"User {user.Email} {(disabled ? "disabled" : "enabled")}", Details: new { userId = user.Id, email = user.Email }));
            await Check(users.UpdateAsync(user));
            if (disabled)
            {
                await Check(users.UpdateSecurityStampAsync(user));
            }
            return SaveResult.Saved;
        });
    }

    private async Task<SaveResult> ChangeAsync(string userId, CancellationToken cancellationToken,
        Func<UserManager<AutoDeployUser>, AutoDeployDbContext, AutoDeployUser, IList<string>, Task<SaveResult>> change)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AutoDeployUser>>();
            var user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return SaveResult.NotFound("That user does not exist (any more).");
            }
            var db = scope.ServiceProvider.GetRequiredService<AutoDeployDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.LockForTransactionAsync(UsersLockKey, cancellationToken);
            var result = await change(users, db, user, await users.GetRolesAsync(user));
            if (result.Succeeded)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            return result;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<SaveResult<UserSummary>> CreateInScopeAsync(IServiceProvider services, UserManager<AutoDeployUser> users,
        string email, string password, IReadOnlyList<RoleAssignment> assignments, CancellationToken cancellationToken)
    {
        var user = new AutoDeployUser { UserName = email, Email = email, EmailConfirmed = true };
        var db = services.GetRequiredService<AutoDeployDbContext>();
        // The caller's transaction when it has one (the first administrator's, which holds the users lock).
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return ToInvalid(created);
        }
        var names = await NamesAsync(db, assignments, cancellationToken);
        db.Record(new DomainEvent(EventCategories.UserCreated, $"User {email} created as {names.Describe(assignments)}",
            Details: new { userId = user.Id, email, assignments = names.Texts(assignments) }));
        await ApplyAsync(users, db, user, [], assignments, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return new SaveResult<UserSummary>(SaveResult.Saved, new UserSummary(user.Id, email, RolePresets.Summarize(assignments))
        {
            Assignments = assignments,
        });
    }

    /// <summary>
    /// Stores the assignments: Administrator as Identity's role, the rest as rows; memberships of the former coarse roles go
    /// (their rights are in the rows now). Saves, with any event recorded before.
    /// </summary>
    private static async Task ApplyAsync(UserManager<AutoDeployUser> users, AutoDeployDbContext db, AutoDeployUser user,
        IList<string> currentRoles, IReadOnlyList<RoleAssignment> assignments, CancellationToken cancellationToken)
    {
        var administrator = assignments.Any(a => a.Role == AssignedRoles.Administrator);
        var dropped = currentRoles.Where(r => r != Roles.Administrator || !administrator).ToList();
        if (dropped.Count > 0)
        {
            await Check(users.RemoveFromRolesAsync(user, dropped));
        }
        if (administrator && !currentRoles.Contains(Roles.Administrator))
        {
            await Check(users.AddToRoleAsync(user, Roles.Administrator));
        }
        db.UserRoleAssignments.RemoveRange(await db.UserRoleAssignments.Where(a => a.UserId == user.Id).ToListAsync(cancellationToken));
        db.UserRoleAssignments.AddRange(assignments.Where(a => a.Role != AssignedRoles.Administrator).Select(a => new UserRoleAssignment
        {
            UserId = user.Id, Role = a.Role, EnvironmentIds = [.. a.EnvironmentIds], ProjectIds = [.. a.ProjectIds],
        }));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>An environment or project named that does not exist, per field; null when all exist.</summary>
    private static async Task<SaveResult?> UnknownIdsAsync(AutoDeployDbContext db, IReadOnlyList<RoleAssignment> assignments,
        CancellationToken cancellationToken)
    {
        var environmentIds = assignments.SelectMany(a => a.EnvironmentIds).Distinct().ToList();
        var projectIds = assignments.SelectMany(a => a.ProjectIds).Distinct().ToList();
        var unknownEnvironments = environmentIds.Except(await db.Environments.Where(e => environmentIds.Contains(e.Id)).Select(e => e.Id)
            .ToListAsync(cancellationToken)).ToList();
        var unknownProjects = projectIds.Except(await db.Projects.Where(p => projectIds.Contains(p.Id)).Select(p => p.Id)
            .ToListAsync(cancellationToken)).ToList();
        var errors = new Dictionary<string, string[]>();
        if (unknownEnvironments.Count > 0)
        {
            errors["Assignments.EnvironmentIds"] = [$"No such environment: {string.Join(", ", unknownEnvironments)}."];
        }
        if (unknownProjects.Count > 0)
        {
            errors["Assignments.ProjectIds"] = [$"No such project: {string.Join(", ", unknownProjects)}."];
        }
        return errors.Count == 0 ? null : new SaveResult(SaveStatus.Invalid, "Please correct the errors.", errors);
    }

    private static async Task<AssignmentNames> NamesAsync(AutoDeployDbContext db, IReadOnlyList<RoleAssignment> assignments,
        CancellationToken cancellationToken)
    {
        var environmentIds = assignments.SelectMany(a => a.EnvironmentIds).Distinct().ToList();
        var projectIds = assignments.SelectMany(a => a.ProjectIds).Distinct().ToList();
        return new AssignmentNames(
            await db.Environments.Where(e => environmentIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken),
            await db.Projects.Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken));
    }

    /// <summary>Whether no other enabled administrator than <paramref name="user"/> remains.</summary>
    private static async Task<bool> IsLastAdministratorAsync(UserManager<AutoDeployUser> users, AutoDeployUser user) =>
        !(await users.GetUsersInRoleAsync(Roles.Administrator)).Any(u => u.Id != user.Id && u.DisabledAt is null);

    /// <summary>Identity's errors, each beside the field it is about.</summary>
    private static SaveResult ToInvalid(IdentityResult result) => new(SaveStatus.Invalid, "Please correct the errors.",
        result.Errors.GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(NewUserInput.Password) : nameof(NewUserInput.Email))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));

    private sealed record AssignmentNames(Dictionary<int, string> Environments, Dictionary<int, string> Projects)
    {
        public List<string> Texts(IEnumerable<RoleAssignment> assignments) => assignments
            .Select(a => a.Describe(id => Environments.GetValueOrDefault(id, $"#{id}"), id => Projects.GetValueOrDefault(id, $"#{id}"))).ToList();

        public string Describe(IReadOnlyList<RoleAssignment> assignments) =>
            assignments.Count == 0 ? "no role" : string.Join("; ", Texts(assignments));
    }

    private static async Task Check(Task<IdentityResult> operation)
    {
        var result = await operation;
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
