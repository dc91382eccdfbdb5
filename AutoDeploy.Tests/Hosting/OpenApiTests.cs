using System.Text.Json;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Hosting;

/// <summary>The OpenAPI document the server serves. On SQLite only: the document is the same whatever the database.</summary>
[Trait("Database", "SqliteOnly")]
public sealed class OpenApiTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/api/events")]
    [InlineData("/api/me")]
    public async Task The_openapi_document_lists_the_endpoint(string path)
    {
        using var document = JsonDocument.Parse(await _app.CreateClient().GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name);
        Assert.Contains(path, paths);
    }

    [Fact]
    public async Task The_events_endpoint_documents_its_query_parameters()
    {
        using var document = JsonDocument.Parse(await _app.CreateClient().GetStringAsync("/openapi/v1.json"));

        var parameters = document.RootElement.GetProperty("paths").GetProperty("/api/events").GetProperty("get")
            .GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["after", "category", "take"], parameters.Order());
    }
}
