using FluentValidation;

namespace AutoDeploy.Web.Components.Shared;

/// <summary>
/// Lets a MudForm field use the same FluentValidation validator as the REST API:
/// <c>&lt;MudTextField For="@(() => model.Name)" Validation="@FormValidation.For(validator)" /&gt;</c>.
/// </summary>
public static class FormValidation
{
    public static Func<object, string, Task<IEnumerable<string>>> For<T>(IValidator<T> validator) =>
        async (model, propertyName) =>
        {
            var context = ValidationContext<T>.CreateWithOptions((T)model, o => o.IncludeProperties(propertyName));
            var result = await validator.ValidateAsync(context);
            return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage).ToArray();
        };
}
