using AutoDeploy.Web.Data;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Identity;

/// <summary>A user as lists show them; <see cref="Disabled"/>: cannot sign in, API keys refused.</summary>
public sealed record UserSummary(string Id, string Email, string Role, bool Disabled = false);

/// <summary>
/// Users and their one role, for the Users page, the set-up page and the API. Each operation takes a fresh
/// scope, so a long-lived Blazor circuit never works on a stale UserManager.
/// </summary>
public sealed class UserService(IServiceScopeFactory scopes, IValidator<NewUserInput> validator, SetupState setup, TimeProvider time)
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
        var rows = await db.Users
            .OrderBy(u => u.NormalizedEmail)
            .Select(u => new
            {
                u.Id,
                u.Email,
                Disabled = u.DisabledAt != null,
                Role = db.UserRoles.Where(ur => ur.UserId == u.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name)
                    .FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new UserSummary(r.Id, r.Email ?? "", r.Role ?? "", r.Disabled)).ToList();
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
        return await CreateInScopeAsync(scope.ServiceProvider, users, input.Email.Trim(), input.Password, input.Role, cancellationToken);
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
            var created = await CreateInScopeAsync(scope.ServiceProvider, users, email.Trim(), password, Roles.Administrator, cancellationToken);
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

    public async Task<SaveResult> ChangeRoleAsync(string userId, string role, string actingUserId, CancellationToken cancellationToken = default)
    {
        if (!Roles.All.Contains(role))
        {
            return SaveResult.Invalid("Role", $"Choose one of the roles: {string.Join(", ", Roles.All)}.");
        }
        if (userId == actingUserId)
        {
            return SaveResult.Conflict("You cannot change your own role; ask another administrator.");
        }
        return await ChangeAsync(userId, cancellationToken, async (users, user, currentRoles) =>
        {
            if (currentRoles.SequenceEqual([role]))
            {
                return SaveResult.Saved;
            }
            if (currentRoles.Contains(Roles.Administrator) && role != Roles.Administrator && await IsLastAdministratorAsync(users, user))
            {
                return SaveResult.Conflict($"{user.Email} is the last administrator; make someone else an administrator first.");
            }
            await Check(users.RemoveFromRolesAsync(user, currentRoles));
            await Check(users.AddToRoleAsync(user, role));
            // Signs the user out within a minute (cookie and circuit revalidation), so the new role takes effect.
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
        return await ChangeAsync(userId, cancellationToken, async (users, user, currentRoles) =>
        {
            if (currentRoles.Contains(Roles.Administrator) && await IsLastAdministratorAsync(users, user))
            {
                return SaveResult.Conflict($"{user.Email} is the last administrator and cannot be deleted.");
            }
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
        return await ChangeAsync(userId, cancellationToken, async (users, user, currentRoles) =>
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
            await Check(users.UpdateAsync(user));
            if (disabled)
            {
                await Check(users.UpdateSecurityStampAsync(user));
            }
            return SaveResult.Saved;
        });
    }

    private async Task<SaveResult> ChangeAsync(string userId, CancellationToken cancellationToken,
        Func<UserManager<AutoDeployUser>, AutoDeployUser, IList<string>, Task<SaveResult>> change)
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
            var result = await change(users, user, await users.GetRolesAsync(user));
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
        string email, string password, string role, CancellationToken cancellationToken)
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
        await Check(users.AddToRoleAsync(user, role));
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return new SaveResult<UserSummary>(SaveResult.Saved, new UserSummary(user.Id, email, role));
    }

    /// <summary>Whether no other enabled administrator than <paramref name="user"/> remains.</summary>
    private static async Task<bool> IsLastAdministratorAsync(UserManager<AutoDeployUser> users, AutoDeployUser user) =>
        !(await users.GetUsersInRoleAsync(Roles.Administrator)).Any(u => u.Id != user.Id && u.DisabledAt is null);

    /// <summary>Identity's errors, each beside the field it is about.</summary>
    private static SaveResult ToInvalid(IdentityResult result) => new(SaveStatus.Invalid, "Please correct the errors.",
        result.Errors.GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(NewUserInput.Password) : nameof(NewUserInput.Email))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));

    private static async Task Check(Task<IdentityResult> operation)
    {
        var result = await operation;
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
