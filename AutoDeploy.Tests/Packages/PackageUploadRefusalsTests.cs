using System.Net;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Packages;

/// <summary>
/// Uploads the repository refuses, on one app for the class (none of them may store anything, so each case also proves
/// the others left nothing); on SQLite and on PostgreSQL.
/// </summary>
[Trait("Database", "App")]
public sealed class PackageUploadRefusalsTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _api = app.CreateApiClient();

    [Theory]
    [InlineData("notes.1.0.0.txt", "fileName", "text")]
    [InlineData("shop.1.0.0.zip", "file", "text")]
    [InlineData("shop.1.0.0.zip", "file", "cut zip")]
    [InlineData("shop.1.0.0.tar.gz", "file", "cut tar.gz")]
    [InlineData("shop.1.0.0.zip", "file", "empty")]
    [InlineData("shop.1.0.0.zip", "file", "no files")]
    [InlineData("shop.1.0.0.nupkg", "file", "zip without nuspec")]
    [InlineData("shop.zip", "packageId", "zip")]
    [InlineData("shop.1.0.zip", "packageId", "zip")]
    [InlineData("shop.1.0.0.rar", "fileName", "zip")]
    public async Task Bad_uploads_are_400_naming_what_is_wrong_and_store_nothing(string fileName, string field, string content)
    {
        var body = content switch
        {
            "text" => "this is not an archive"u8.ToArray(),
            "cut zip" => TestArchives.Cut(TestArchives.Zip(("a.txt", new string('x', 5000)))),
            "cut tar.gz" => TestArchives.Cut(TestArchives.TarGz(("a.txt", string.Concat(Enumerable.Range(0, 5000).Select(i => i.ToString()))))),
            "empty" => [],
            "no files" => TestArchives.Zip(),
            _ => TestArchives.Zip(("a.txt", "x")),
        };

        var problem = await ProblemAsync(await _api.PostAsync($"/api/packages?fileName={fileName}", TestArchives.Body(body)), HttpStatusCode.BadRequest);

        Assert.True(problem.Errors.ContainsKey(field), $"Expected an error for {field}: {string.Join(", ", problem.Errors.Keys)}");
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.PackageVersions.ToListAsync());
        Assert.Empty(app.PackageFiles());
    }
}
