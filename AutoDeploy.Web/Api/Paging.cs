namespace AutoDeploy.Web.Api;

/// <summary>
/// The one paging rule of every list the API answers (README, "Paging"): <c>take</c> is 1 to the list's maximum, its
/// default when absent; cursors (<c>after</c>, <c>before</c>: ids) and <c>skip</c> are 0 or more. A value out of range is
/// a 400 that names the parameter, never silently clamped.
/// </summary>
public static class Paging
{
    /// <summary>Adds to <paramref name="errors"/> what is out of range, by parameter name.</summary>
    public static void Check(IDictionary<string, string[]> errors, int? take, int maxTake, params (string Name, long? Value)[] notNegative)
    {
        if (take is < 1 || take > maxTake)
        {
            errors["take"] = [$"'take' must be between 1 and {maxTake}."];
        }
        foreach (var (name, value) in notNegative)
        {
            if (value < 0)
            {
                errors[name] = [$"'{name}' must be 0 or more."];
            }
        }
    }

    /// <summary>A 400 naming each parameter out of range, or null when the page asked for is valid.</summary>
    public static IResult? Problem(int? take, int maxTake, params (string Name, long? Value)[] notNegative)
    {
        var errors = new Dictionary<string, string[]>();
        Check(errors, take, maxTake, notNegative);
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, detail: "The page asked for is out of range.");
    }
}
