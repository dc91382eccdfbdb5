using System.Globalization;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.WebUtilities;

namespace AutoDeploy.Web.Components.Pages.Audit;

/// <summary>
/// The audit log's filters as its address, so any page can link to a filtered log:
/// <c>/audit?category=MachineDisabled&amp;machine=12&amp;actor=alice&amp;from=2026-11-01&amp;to=2026-11-30</c>.
/// A document with an id has its own key (<c>machine=12</c>); a document type alone is <c>type=Machine</c>.
/// </summary>
public static class AuditLogQuery
{
    public const string Path = "/audit";
    private const string DateFormat = "yyyy-MM-dd";

    private static readonly IReadOnlyDictionary<string, string> KeyByType = new Dictionary<string, string>
    {
        [EventDocumentTypes.Environment] = "environment",
        [EventDocumentTypes.Machine] = "machine",
        [EventDocumentTypes.MachinePolicy] = "policy",
        [EventDocumentTypes.Project] = "project",
        [EventDocumentTypes.Release] = "release",
        [EventDocumentTypes.Deployment] = "deployment",
        [EventDocumentTypes.Trigger] = "trigger",
    };

    /// <summary>The address of the audit log showing <paramref name="filter"/>.</summary>
    public static string ToUri(EventLogFilter filter)
    {
        var query = new List<KeyValuePair<string, string?>>();
        query.AddRange(filter.Categories.Select(c => Pair("category", c)));
        if (filter.DocumentType is { } type)
        {
            query.Add(filter.DocumentId is { } id && KeyByType.TryGetValue(type, out var key)
                ? Pair(key, id.ToString(CultureInfo.InvariantCulture))
                : Pair("type", type));
        }
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            query.Add(Pair("actor", filter.Actor.Trim()));
        }
        if (filter.From is { } from)
        {
            query.Add(Pair("from", from.ToString(DateFormat, CultureInfo.InvariantCulture)));
        }
        if (filter.To is { } to)
        {
            query.Add(Pair("to", to.ToString(DateFormat, CultureInfo.InvariantCulture)));
        }
        return Path + QueryString.Create(query);
    }

    /// <summary>The filter an address asks for; parts that do not parse are left out.</summary>
    public static EventLogFilter Parse(string uri)
    {
        var queryStart = uri.IndexOf('?');
        var query = QueryHelpers.ParseQuery(queryStart < 0 ? "" : uri[queryStart..]);
        var filter = new EventLogFilter
        {
            Categories = Values(query, "category").Distinct(StringComparer.Ordinal).ToList(),
            DocumentType = Values(query, "type").FirstOrDefault(EventDocumentTypes.All.Contains),
            Actor = Values(query, "actor").FirstOrDefault(),
            From = Date(Values(query, "from").FirstOrDefault()),
            To = Date(Values(query, "to").FirstOrDefault()),
        };
        foreach (var (type, key) in KeyByType)
        {
            if (Values(query, key).FirstOrDefault() is { } text
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                return filter with { DocumentType = type, DocumentId = id };
            }
        }
        return filter;
    }

    /// <summary>Whether two filters show the same events.</summary>
    public static bool SameAs(this EventLogFilter filter, EventLogFilter other) => ToUri(filter) == ToUri(other);

    private static KeyValuePair<string, string?> Pair(string key, string value) => new(key, value);

    private static IEnumerable<string> Values(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string key) =>
        query.TryGetValue(key, out var values)
            ? values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())
            : [];

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
