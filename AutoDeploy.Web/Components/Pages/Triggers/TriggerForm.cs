using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Components.Shared;
using AutoDeploy.Web.Services;
using FluentValidation;

namespace AutoDeploy.Web.Components.Pages.Triggers;

/// <summary>
/// The trigger being edited: the input saved as a whole with the version it was loaded at, and the messages for each
/// field from the shared validator plus what the service refused (shown while that field is unchanged).
/// </summary>
public sealed class TriggerForm(IValidator<TriggerInput> validator)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>();
    private readonly Func<object, string, Task<IEnumerable<string>>> _shared = FormValidation.For(validator);
    private IReadOnlyDictionary<string, string[]> _refused = None;
    private Dictionary<string, string> _submitted = [];

    public TriggerInput Input { get; private set; } = new();

    /// <summary>The version the user loaded: the save is refused if someone saved since. Null for a new trigger.</summary>
    public int? Version { get; private set; }

    /// <summary>True once the user tried to save: fields that are not MudForm inputs (the event checkboxes) show their messages.</summary>
    public bool Submitted { get; private set; }

    /// <summary>For a MudForm field's <c>Validation</c> (it names the field through <c>For</c>).</summary>
    public Func<object, string, Task<IEnumerable<string>>> Validation => (_, property) => MessagesAsync(property);

    /// <summary>Loads a saved trigger, or for a new one the recommended filter: machines that become available for deployment.</summary>
    public void Load(TriggerDetails? trigger)
    {
        Input = trigger?.ToInput() ?? new TriggerInput { EventGroups = [EventGroups.MachineAvailableForDeployment] };
        Version = trigger?.Version;
        Submitted = false;
        Refused(null);
    }

    public async Task<IEnumerable<string>> MessagesAsync(string property) =>
        WithRefused(property, await _shared(Input, property));

    /// <summary>The messages about one property now, for fields that are not MudForm inputs.</summary>
    public IReadOnlyList<string> Messages(string property) =>
        WithRefused(property, validator.Validate(Input, o => o.IncludeProperties(property)).Errors.Select(e => e.ErrorMessage));

    /// <summary>Checks the whole input with the validator the service uses; true when it may be saved.</summary>
    public bool Validate()
    {
        Submitted = true;
        return validator.Validate(Input).IsValid;
    }

    /// <summary>Remembers what the service refused, to show beside the fields it names.</summary>
    public void Refused(IReadOnlyDictionary<string, string[]>? errors)
    {
        _refused = errors ?? None;
        _submitted = _refused.Keys.ToDictionary(k => k, Value);
    }

    private List<string> WithRefused(string property, IEnumerable<string> messages)
    {
        var all = messages.ToList();
        if (_refused.TryGetValue(property, out var refused) && Value(property) == _submitted.GetValueOrDefault(property))
        {
            all.AddRange(refused.Except(all));
        }
        return all;
    }

    private string Value(string property) => JsonSerializer.Serialize(typeof(TriggerInput).GetProperty(property)?.GetValue(Input), Json);
}
