using AutoDeploy.Domain.Permissions;
using FluentValidation;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// A user an administrator adds: the email is the sign-in name; a role preset, or <see cref="Assignments"/> when given
/// (each a role limited to environments and projects).
/// </summary>
public sealed class NewUserInput
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string Role { get; set; } = Roles.Viewer;
    public List<RoleAssignmentInput>? Assignments { get; set; }
}

/// <summary>The shape of a new user; Identity's own rules (password strength, a taken email) come from the UserManager.</summary>
public sealed class NewUserInputValidator : AbstractValidator<NewUserInput>
{
    public const int MaxPasswordLength = 256;

    public NewUserInputValidator()
    {
        RuleFor(u => u.Email).NotEmpty().WithMessage("Enter the user's email address.")
            .MaximumLength(256)
            .Must(e => !e.Any(char.IsControl)).WithMessage("The email address cannot contain control characters.")
            .EmailAddress().WithMessage("Enter a valid email address, e.g. jane@example.com.");
        RuleFor(u => u.Password).NotEmpty().WithMessage("Enter a password.")
            .MaximumLength(MaxPasswordLength)
            .Must(p => !p.Any(char.IsControl)).WithMessage("The password cannot contain control characters.");
        RuleFor(u => u.Role).Must(r => Roles.All.Contains(r)).When(u => u.Assignments is null)
            .WithMessage($"Choose one of the roles: {string.Join(", ", Roles.All)}.");
        RuleFor(u => u.Assignments!).SetValidator(new RoleAssignmentListValidator()).When(u => u.Assignments is not null);
    }
}
