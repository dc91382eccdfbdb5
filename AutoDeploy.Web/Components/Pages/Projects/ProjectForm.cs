using System.Text.Json;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Web.Services;
using FluentValidation;

namespace AutoDeploy.Web.Components.Pages.Projects;

/// <summary>
/// The project being edited on the project page: the whole document, saved at once with the version it was
/// loaded at, and the messages per field path (<c>Steps[1].Roles</c>) from the shared validator or the service.
/// </summary>
public sealed class ProjectForm(IValidator<ProjectInput> validator)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private string _loaded = "";
    private Dictionary<string, string[]> _errors = [];

    public ProjectInput Input { get; private set; } = new();

    /// <summary>The version the user loaded: the save is refused if someone saved since.</summary>
    public int Version { get; private set; }

    public bool IsDirty => JsonSerializer.Serialize(Input, Json) != _loaded;

    public bool HasErrors => _errors.Count > 0;

    public void Load(ProjectDetails project)
    {
        Input = project.ToInput();
        Version = project.Version;
        _loaded = JsonSerializer.Serialize(Input, Json);
        _errors = [];
    }

    /// <summary>Checks the whole input with the validator the service uses; true when it may be saved.</summary>
    public bool Validate()
    {
        _errors = validator.Validate(Input).Errors.GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        return _errors.Count == 0;
    }

    /// <summary>Shows what the service refused, beside the fields it names.</summary>
    public void ShowErrors(IReadOnlyDictionary<string, string[]> errors) => _errors = errors.ToDictionary();

    public bool HasError(string path) => _errors.ContainsKey(path);

    public string? ErrorText(string path) => _errors.TryGetValue(path, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>Every message about paths under <paramref name="prefix"/>, e.g. all of one step's.</summary>
    public IEnumerable<string> ErrorsUnder(string prefix) =>
        _errors.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).SelectMany(e => e.Value);
}
