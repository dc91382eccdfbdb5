using AutoDeploy.Domain.Policies;
using AutoDeploy.Web.Components.Shared;
using AutoDeploy.Web.Services;
using FluentValidation;

namespace AutoDeploy.Web.Components.Pages.Policies;

/// <summary>
/// The machine policy being edited: the input saved as a whole with the version it was loaded at, and the messages
/// for each field from the shared validator plus what the service refused (shown while that field is unchanged).
/// </summary>
public sealed class MachinePolicyForm(IValidator<MachinePolicyInput> validator)
{
    private static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>();
    private readonly Func<object, string, Task<IEnumerable<string>>> _shared = FormValidation.For(validator);
    private IReadOnlyDictionary<string, string[]> _refused = None;
    private Dictionary<string, object?> _submitted = [];

    public MachinePolicyInput Input { get; private set; } = new();

    /// <summary>The version the user loaded: the save is refused if someone saved since. Null for a new policy.</summary>
    public int? Version { get; private set; }

    /// <summary>For a MudForm field's <c>Validation</c> (it names the field through <c>For</c>).</summary>
    public Func<object, string, Task<IEnumerable<string>>> Validation => (_, property) => MessagesAsync(property);

    public void Load(MachinePolicyDetails? policy)
    {
        Input = policy?.ToInput() ?? new MachinePolicyInput();
        Version = policy?.Version;
        _refused = None;
    }

    public async Task<IEnumerable<string>> MessagesAsync(string property)
    {
        var messages = (await _shared(Input, property)).ToList();
        if (_refused.TryGetValue(property, out var refused) && Equals(Value(property), _submitted.GetValueOrDefault(property)))
        {
            messages.AddRange(refused.Except(messages));
        }
        return messages;
    }

    public bool HasMessages(string property) =>
        validator.Validate(Input, o => o.IncludeProperties(property)).Errors.Count > 0 || _refused.ContainsKey(property);

    /// <summary>Remembers what the service refused, to show beside the fields it names.</summary>
    public void Refused(IReadOnlyDictionary<string, string[]>? errors)
    {
        _refused = errors ?? None;
        _submitted = _refused.Keys.ToDictionary(k => k, Value);
    }

    private object? Value(string property) => typeof(MachinePolicyInput).GetProperty(property)?.GetValue(Input);
}
