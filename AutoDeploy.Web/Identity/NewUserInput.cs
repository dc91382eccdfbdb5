using FluentValidation;

namespace AutoDeploy.Web.Identity;

/// <summary>A user an administrator adds: the email is the sign-in name; exactly one role.</summary>
public sealed class NewUserInput
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string Role { get; set; } = Roles.Viewer;
}

/// <summary>The shape of a new user; Identity's own rules (password strength, a taken email) come from the UserManager.</summary>
public sealed class NewUserInputValidator : AbstractValidator<NewUserInput>
{
    public NewUserInputValidator()
    {
        RuleFor(u => u.Email).NotEmpty().WithMessage("Enter the user's email address.")
            .MaximumLength(256)
            .EmailAddress().WithMessage("Enter a valid email address, e.g. jane@example.com.");
        RuleFor(u => u.Password).NotEmpty().WithMessage("Enter a password.");
        RuleFor(u => u.Role).Must(r => Roles.All.Contains(r))
            .WithMessage($"Choose one of the roles: {string.Join(", ", Roles.All)}.");
    }
}
