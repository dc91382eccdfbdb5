using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

/// <summary>
/// Stores a value object (a process's steps, variables, settings) as one JSON text column on every provider.
/// Compared by its JSON, so changing anything inside marks the owning document modified: it is audited and
/// its concurrency version bumps.
/// </summary>
internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property) where T : class, new()
    {
        property.HasConversion(
                value => JsonSerializer.Serialize(value, Json),
                text => JsonSerializer.Deserialize<T>(text, Json) ?? new T(),
                new ValueComparer<T>(
                    (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                    value => JsonSerializer.Serialize(value, Json).GetHashCode(),
                    value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Json), Json)!))
            .IsRequired();
        return property;
    }

    /// <summary>An optional value object as a nullable JSON text column.</summary>
    public static PropertyBuilder<T?> HasOptionalJsonConversion<T>(this PropertyBuilder<T?> property) where T : class
    {
        property.HasConversion(
            value => value == null ? null : JsonSerializer.Serialize(value, Json),
            text => text == null ? null : JsonSerializer.Deserialize<T>(text, Json),
            new ValueComparer<T?>(
                (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                value => JsonSerializer.Serialize(value, Json).GetHashCode(),
                value => value == null ? null : JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Json), Json)));
        return property;
    }
}
