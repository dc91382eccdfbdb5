using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Subscriptions;

/// <summary>Rules for a subscription: an absolute http(s) URL, known categories and groups, bounded lists.</summary>
public sealed class SubscriptionInputValidator : AbstractValidator<SubscriptionInput>
{
    public const int MaxListLength = 100;

    public SubscriptionInputValidator()
    {
        RuleFor(x => x.Name).DocumentName();
        RuleFor(x => x.Url).Must(url => !string.IsNullOrWhiteSpace(url)).WithMessage("URL is required.")
            .Must(url => (url ?? "").Trim().Length <= Subscription.MaxUrlLength)
            .WithMessage($"URL must be at most {Subscription.MaxUrlLength} characters.");
        RuleFor(x => x.Url).Must(IsHttpUrl).When(x => !string.IsNullOrWhiteSpace(x.Url) && x.Url.Trim().Length <= Subscription.MaxUrlLength)
            .WithMessage("URL must be an absolute http:// or https:// address, such as https://chat.example.com/hooks/deploys.");
        RuleFor(x => x.EventGroups).Must(groups => Unknown(groups, EventGroups.Members.Keys).Count == 0)
            .WithMessage((_, groups) =>
                $"Unknown event groups: {Quote(Unknown(groups, EventGroups.Members.Keys))}. Choose from: {string.Join(", ", EventGroups.Members.Keys)}.");
        RuleFor(x => x.EventCategories).Must(categories => Unknown(categories, EventCategories.All).Count == 0)
            .WithMessage((_, categories) =>
                $"Unknown event categories: {Quote(Unknown(categories, EventCategories.All))}. Choose from: {string.Join(", ", EventCategories.All)}.");
        RuleFor(x => x.EventGroups).Must(l => l is null || l.Count <= MaxListLength).WithMessage($"At most {MaxListLength} event groups.");
        RuleFor(x => x.EventCategories).Must(l => l is null || l.Count <= MaxListLength).WithMessage($"At most {MaxListLength} event categories.");
        RuleFor(x => x.ProjectIds).Must(l => l is null || l.Count <= MaxListLength).WithMessage($"At most {MaxListLength} projects.");
        RuleFor(x => x.EnvironmentIds).Must(l => l is null || l.Count <= MaxListLength).WithMessage($"At most {MaxListLength} environments.");
    }

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate((url ?? "").Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host) && !url!.Contains('\0');

    private static List<string> Unknown(IEnumerable<string>? names, IEnumerable<string> known)
    {
        var allowed = known.ToHashSet(StringComparer.Ordinal);
        return (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Where(n => !allowed.Contains(n)).Distinct().ToList();
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{TextRules.Cut(n, 60)}'"));
}
