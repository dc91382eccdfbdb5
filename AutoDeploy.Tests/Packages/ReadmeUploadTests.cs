using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AutoDeploy.Tests.Architecture;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Packages;

namespace AutoDeploy.Tests.Packages;

/// <summary>
/// The README's upload commands, run with curl against the app on Kestrel exactly as written there (only the key and
/// the address are filled in). curl's --data-binary sends its own Content-Type (application/x-www-form-urlencoded), which
/// the endpoint once refused with a 415. SQLite only: what is tested happens before the database is reached.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed partial class ReadmeUploadTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("autodeploy-readme-upload-").FullName;
    private string _server = "";

    public Task InitializeAsync()
    {
        _server = _app.StartOnKestrel().TrimEnd('/');
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_readme_curl_commands_upload_a_package_as_the_body_and_as_a_form()
    {
        var commands = UploadCommands().Matches(await File.ReadAllTextAsync(Path.Combine(SourceTree.Root, "README.md")))
            .Select(m => m.Value.Replace("$KEY", AutoDeployAppFactory.AdminApiKey, StringComparison.Ordinal)
                .Replace("http://localhost:5080", _server, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, commands.Count);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "shop.1.4.2.zip"), TestArchives.Zip(("index.html", "<h1>Shop</h1>")));

        using var api = new HttpClient { BaseAddress = new Uri(_server) };
        api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);

        var (body, bodyOutput) = await CurlAsync(commands[0]);
        Assert.True(body == 0, bodyOutput);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/packages/shop/1.4.2")).StatusCode);
        var (form, formOutput) = await CurlAsync(commands[1]);
        Assert.True(form == 0, formOutput);

        var versions = await api.GetFromJsonAsync<List<PackageVersionSummary>>("/api/packages/shop", ProtocolAgent.Json);
        Assert.Equal("1.4.2", Assert.Single(versions!).Version);
    }

    private Task<(int ExitCode, string Output)> CurlAsync(string command) =>
        ChildProcess.RunAsync("bash", ["-c", $"cd '{_folder}' && {command}"]);

    /// <summary>The README's <c>curl ... /api/packages ...</c> lines, without their trailing comments.</summary>
    [GeneratedRegex(@"^curl [^\n#]*/api/packages[^\n#]*?(?=\s*(#|$))", RegexOptions.Multiline)]
    private static partial Regex UploadCommands();
}
