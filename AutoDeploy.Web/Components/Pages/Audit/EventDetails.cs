using System.Text.Encodings.Web;
using System.Text.Json;

namespace AutoDeploy.Web.Components.Pages.Audit;

/// <summary>An event's details JSON, indented for reading.</summary>
public static class EventDetails
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Shown as text (Blazor escapes it), so names with accents or arrows stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
