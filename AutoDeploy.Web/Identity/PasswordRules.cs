using Microsoft.AspNetCore.Identity;

namespace AutoDeploy.Web.Identity;

/// <summary>The password rules Identity enforces, in the words the forms show before anyone types.</summary>
public static class PasswordRules
{
    /// <summary>"At least 8 characters, with an upper-case letter, a lower-case letter, a digit and a symbol."</summary>
    public static string Describe(PasswordOptions options)
    {
        var with = new List<string>();
        if (options.RequireUppercase)
        {
            with.Add("an upper-case letter");
        }
        if (options.RequireLowercase)
        {
            with.Add("a lower-case letter");
        }
        if (options.RequireDigit)
        {
            with.Add("a digit");
        }
        if (options.RequireNonAlphanumeric)
        {
            with.Add("a symbol");
        }
        var length = $"At least {options.RequiredLength} characters";
        return with.Count switch
        {
            0 => $"{length}.",
            1 => $"{length}, with {with[0]}.",
            _ => $"{length}, with {string.Join(", ", with[..^1])} and {with[^1]}.",
        };
    }
}
