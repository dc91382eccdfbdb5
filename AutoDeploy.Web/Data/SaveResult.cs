using FluentValidation.Results;

namespace AutoDeploy.Web.Data;

public enum SaveStatus
{
    Saved,

    /// <summary>Validation failed; <see cref="SaveResult.Errors"/> has the messages per field.</summary>
    Invalid,

    NotFound,

    /// <summary>Refused by the state of other documents: a name already taken, a document still in use.</summary>
    Conflict,

    /// <summary>Someone else saved the document since it was loaded; nothing was written.</summary>
    Stale,

    /// <summary>The credential that asked for the change is not (or no longer) good: an unknown, expired, used-up or revoked enrolment token.</summary>
    Unauthorized,

    /// <summary>The credential is good but does not allow this change: a registration outside an enrolment token's scope.</summary>
    Forbidden,
}

/// <summary>
/// What a service's save or delete did, shared by the forms (messages beside fields, a snackbar)
/// and the REST API (problem details with 400, 401, 403, 404 or 409).
/// </summary>
public sealed record SaveResult(SaveStatus Status, string? Message = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static readonly SaveResult Saved = new(SaveStatus.Saved);

    public bool Succeeded => Status == SaveStatus.Saved;

    public static SaveResult NotFound(string message) => new(SaveStatus.NotFound, message);

    public static SaveResult Conflict(string message) => new(SaveStatus.Conflict, message);

    public static SaveResult Unauthorized(string message) => new(SaveStatus.Unauthorized, message);

    public static SaveResult Forbidden(string message) => new(SaveStatus.Forbidden, message);

    public static SaveResult Stale(string document) =>
        new(SaveStatus.Stale, $"Someone else changed this {document} after you opened it. Your changes were not saved; reload to see theirs.");

    public static SaveResult Invalid(ValidationResult validation) => new(SaveStatus.Invalid, "Please correct the errors.",
        validation.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));

    public static SaveResult Invalid(string field, string message) =>
        new(SaveStatus.Invalid, message, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>A save that also yields the saved document (e.g. the id of a new one).</summary>
public sealed record SaveResult<T>(SaveResult Result, T? Value = default)
{
    public static implicit operator SaveResult<T>(SaveResult result) => new(result);
}
