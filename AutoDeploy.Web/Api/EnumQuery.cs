using AutoDeploy.Domain.Validation;

namespace AutoDeploy.Web.Api;

/// <summary>
/// A query parameter that names one value of an enum (<c>health=</c>, <c>state=</c>), read the same way on every list:
/// absent means any, case does not matter, and anything else is a 400 that names the parameter and lists the values.
/// </summary>
public static class EnumQuery
{
    /// <summary>How much of a refused value the message repeats.</summary>
    public const int EchoLength = 100;

    /// <summary>The value <paramref name="text"/> names, or null: when it is absent, or when it names none (then in <paramref name="errors"/>).</summary>
    public static TEnum? Parse<TEnum>(IDictionary<string, string[]> errors, string parameter, string? text, string noun)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var trimmed = text.Trim();
        if (Enum.TryParse<TEnum>(trimmed, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
        {
            return parsed;
        }
        errors[parameter] = [$"Unknown {noun} '{TextRules.Cut(trimmed, EchoLength)}'; use one of {string.Join(", ", Enum.GetNames<TEnum>())}."];
        return null;
    }
}
