using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Components.Shared;
using AutoDeploy.Web.Services;
using FluentValidation;

namespace AutoDeploy.Web.Components.Pages.Triggers;

/// <summary>The trigger being edited: the input saved as a whole with the version it was loaded at, and its fields' messages.</summary>
public sealed class TriggerForm
{
    private readonly FieldMessages<TriggerInput> _messages;

    public TriggerForm(IValidator<TriggerInput> validator) => _messages = new(validator, () => Input);

    public TriggerInput Input { get; private set; } = new();

    /// <summary>The version the user loaded: the save is refused if someone saved since. Null for a new trigger.</summary>
    public int? Version { get; private set; }

    /// <summary>True once the user tried to save: fields that are not MudForm inputs (the event checkboxes) show their messages.</summary>
    public bool Submitted { get; private set; }

    /// <summary>For a MudForm field's <c>Validation</c> (it names the field through <c>For</c>).</summary>
    public Func<object, string, Task<IEnumerable<string>>> Validation => _messages.Validation;

    /// <summary>Loads a saved trigger, or for a new one the recommended filter: machines that become available for deployment.</summary>
    public void Load(TriggerDetails? trigger)
    {
        Input = trigger?.ToInput() ?? new TriggerInput { EventGroups = [EventGroups.MachineAvailableForDeployment] };
        Version = trigger?.Version;
        Submitted = false;
        Refused(null);
    }

    /// <summary>The messages about one property now, for fields that are not MudForm inputs.</summary>
    public IReadOnlyList<string> Messages(string property) => _messages.Of(property);

    /// <summary>Checks the whole input with the validator the service uses; true when it may be saved.</summary>
    public bool Validate()
    {
        Submitted = true;
        return _messages.IsValid();
    }

    /// <summary>Remembers what the service refused, to show beside the fields it names.</summary>
    public void Refused(IReadOnlyDictionary<string, string[]>? errors) => _messages.Refused(errors);
}
