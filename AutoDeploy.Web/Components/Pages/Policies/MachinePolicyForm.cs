using AutoDeploy.Domain.Policies;
using AutoDeploy.Web.Components.Shared;
using AutoDeploy.Web.Services;
using FluentValidation;

namespace AutoDeploy.Web.Components.Pages.Policies;

/// <summary>The machine policy being edited: the input saved as a whole with the version it was loaded at, and its fields' messages.</summary>
public sealed class MachinePolicyForm
{
    private readonly FieldMessages<MachinePolicyInput> _messages;

    public MachinePolicyForm(IValidator<MachinePolicyInput> validator) => _messages = new(validator, () => Input);

    public MachinePolicyInput Input { get; private set; } = new();

    /// <summary>The version the user loaded: the save is refused if someone saved since. Null for a new policy.</summary>
    public int? Version { get; private set; }

    /// <summary>For a MudForm field's <c>Validation</c> (it names the field through <c>For</c>).</summary>
    public Func<object, string, Task<IEnumerable<string>>> Validation => _messages.Validation;

    public void Load(MachinePolicyDetails? policy)
    {
        Input = policy?.ToInput() ?? new MachinePolicyInput();
        Version = policy?.Version;
        _messages.Refused(null);
    }

    public Task<IEnumerable<string>> MessagesAsync(string property) => _messages.OfAsync(property);

    /// <summary>Whether the field has something to say: a section shows a field it would hide otherwise.</summary>
    public bool HasMessages(string property) => _messages.Any(property) || _messages.WasRefused(property);

    /// <summary>Remembers what the service refused, to show beside the fields it names.</summary>
    public void Refused(IReadOnlyDictionary<string, string[]>? errors) => _messages.Refused(errors);
}
