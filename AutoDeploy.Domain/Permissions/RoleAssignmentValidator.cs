using FluentValidation;

namespace AutoDeploy.Domain.Permissions;

/// <summary>A user's assignments as the Users page and <c>PUT /api/users/{id}/assignments</c> send them.</summary>
public sealed class RoleAssignmentInput
{
    public string Role { get; set; } = AssignedRoles.Viewer;
    public List<int> EnvironmentIds { get; set; } = [];
    public List<int> ProjectIds { get; set; } = [];

    public RoleAssignment ToAssignment() =>
        new(Role, EnvironmentIds.Distinct().Order().ToList(), ProjectIds.Distinct().Order().ToList());
}

public sealed class RoleAssignmentInputValidator : AbstractValidator<RoleAssignmentInput>
{
    public const int MaxIds = 100;

    public RoleAssignmentInputValidator()
    {
        RuleFor(a => a.Role).Must(r => AssignedRoles.All.Contains(r))
            .WithMessage($"Choose one of the roles: {string.Join(", ", AssignedRoles.All)}.");
        RuleFor(a => a.EnvironmentIds).NotNull().Must(ids => ids.Count <= MaxIds).WithMessage($"At most {MaxIds} environments.")
            .Must(ids => ids.All(id => id > 0)).WithMessage("Environment ids are positive numbers.");
        RuleFor(a => a.ProjectIds).NotNull().Must(ids => ids.Count <= MaxIds).WithMessage($"At most {MaxIds} projects.")
            .Must(ids => ids.All(id => id > 0)).WithMessage("Project ids are positive numbers.");
        RuleFor(a => a.EnvironmentIds).Must(ids => ids.Count == 0).When(a => a.Role == AssignedRoles.Administrator)
            .WithMessage("An Administrator does everything everywhere: leave the environments empty.");
        RuleFor(a => a.ProjectIds).Must(ids => ids.Count == 0).When(a => a.Role == AssignedRoles.Administrator)
            .WithMessage("An Administrator does everything everywhere: leave the projects empty.");
        RuleFor(a => a.EnvironmentIds).Must(ids => ids.Count == 0).When(a => a.Role == AssignedRoles.ProjectEditor)
            .WithMessage("A Project editor is limited by projects only: a process serves every environment.");
    }
}

/// <summary>The whole list: at least one assignment, at most a few dozen.</summary>
public sealed class RoleAssignmentListValidator : AbstractValidator<List<RoleAssignmentInput>>
{
    public const int MaxAssignments = 20;

    public RoleAssignmentListValidator()
    {
        RuleFor(list => list).NotNull().Must(l => l.Count >= 1).WithMessage("Give the user at least one role.")
            .Must(l => l.Count <= MaxAssignments).WithMessage($"At most {MaxAssignments} role assignments.");
        RuleForEach(list => list).NotNull().SetValidator(new RoleAssignmentInputValidator()).OverridePropertyName("Assignments");
    }
}
