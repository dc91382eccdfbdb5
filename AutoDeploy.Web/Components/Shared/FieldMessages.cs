using System.Text.Json;
using FluentValidation;

namespace AutoDeploy.Web.Components.Shared;

/// <summary>
/// The one way a form shows messages beside its fields: the shared validator's (the REST API's) for the field as it is
/// now, and what the service refused on the last save (a name taken, an environment that does not exist) for as long
/// as the field still holds the value it judged. A MudForm field takes <see cref="Validation"/> (it names its property
/// through <c>For</c>); any other field (a select, check boxes, the roles editor) shows <see cref="Of"/>.
/// </summary>
public sealed class FieldMessages<TInput>(IValidator<TInput> validator, Func<TInput> input)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>();
    private readonly Func<object, string, Task<IEnumerable<string>>> _shared = FormValidation.For(validator);
    private IReadOnlyDictionary<string, string[]> _refused = None;
    private Dictionary<string, string> _judged = [];

    /// <summary>One message joining them all: a MudForm field shows only the first message it is given.</summary>
    public Func<object, string, Task<IEnumerable<string>>> Validation => async (_, property) =>
        await OfAsync(property) is { } messages && messages.Any() ? [string.Join(" ", messages)] : [];

    public async Task<IEnumerable<string>> OfAsync(string property) => WithRefused(property, await _shared(input()!, property));

    public IReadOnlyList<string> Of(string property) =>
        WithRefused(property, validator.Validate(input(), o => o.IncludeProperties(property)).Errors.Select(e => e.ErrorMessage));

    public bool Any(string property) => Of(property).Count > 0;

    /// <summary>Whether the last save was refused over this field, whatever it holds now.</summary>
    public bool WasRefused(string property) => _refused.ContainsKey(property);

    /// <summary>Checks the whole input; true when it may be saved.</summary>
    public bool IsValid() => validator.Validate(input()).IsValid;

    /// <summary>Remembers what the service refused (<c>SaveResult.Errors</c>), to show beside the fields it names; null forgets.</summary>
    public void Refused(IReadOnlyDictionary<string, string[]>? errors)
    {
        _refused = errors ?? None;
        _judged = _refused.Keys.ToDictionary(k => k, Value);
    }

    private List<string> WithRefused(string property, IEnumerable<string> messages)
    {
        var all = messages.ToList();
        if (_refused.TryGetValue(property, out var refused) && Value(property) == _judged.GetValueOrDefault(property))
        {
            all.AddRange(refused.Except(all));
        }
        return all;
    }

    private string Value(string property) => JsonSerializer.Serialize(typeof(TInput).GetProperty(property)?.GetValue(input()), Json);
}
