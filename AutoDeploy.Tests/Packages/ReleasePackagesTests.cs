using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Services;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Packages;

/// <summary>Releases pin the versions of the packages their steps deploy (issue 15, item 2); on both databases.</summary>
[Trait("Database", "App")]
public sealed class ReleasePackagesTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _api = null!;
    private int _projectId;

    public async Task InitializeAsync()
    {
        _api = _app.CreateApiClient();
        var project = await _api.PostAsJsonAsync("/api/projects", new
        {
            name = "Shop",
            steps = new[] { new { name = "Install", roles = new[] { "web" }, script = "./start.sh", timeout = "00:10:00", packageId = "Shop.Web" } },
        });
        Assert.Equal(HttpStatusCode.Created, project.StatusCode);
        _projectId = (await project.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_release_pins_the_latest_version_unless_it_is_given()
    {
        await UploadAsync("Shop.Web.1.9.0.zip");
        await UploadAsync("Shop.Web.1.10.0.zip");

        var latest = await CreateReleaseAsync("1.0.0", null);
        var given = await CreateReleaseAsync("1.0.1", new Dictionary<string, string> { ["shop.web"] = "1.9.0" });

        Assert.Equal([new PinnedPackage("Shop.Web", "1.10.0")], latest.Packages);
        Assert.Equal([new PinnedPackage("Shop.Web", "1.9.0")], given.Packages);
        var read = await _api.GetFromJsonAsync<ReleaseDetails>($"/api/releases/{given.Id}", ProtocolAgent.Json);
        Assert.Equal("Shop.Web", Assert.Single(read!.Steps).PackageId);
        Assert.Equal(given.Packages, read.Packages);
    }

    [Theory]
    [InlineData("Shop.Web", "9.9.9", "is not in the repository")]
    [InlineData("Billing", "1.0.0", "No step of 'Shop' deploys a package Billing")]
    [InlineData("Shop.Web", "latest", "is not a SemVer version")]
    public async Task A_package_version_that_cannot_be_pinned_is_400_naming_it(string packageId, string version, string message)
    {
        await UploadAsync("Shop.Web.1.0.0.zip");

        var response = await _api.PostAsJsonAsync($"/api/projects/{_projectId}/releases",
            new { version = "1.0.0", packages = new Dictionary<string, string> { [packageId] = version } });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(message, Assert.Single(problem.Errors).Value[0]);
        Assert.Empty((await _api.GetFromJsonAsync<List<ReleaseSummary>>($"/api/projects/{_projectId}/releases", ProtocolAgent.Json))!);
    }

    [Fact]
    public async Task A_package_never_uploaded_blocks_the_release()
    {
        var problem = await ProblemAsync(await _api.PostAsJsonAsync($"/api/projects/{_projectId}/releases", new { version = "1.0.0" }),
            HttpStatusCode.BadRequest);

        Assert.Contains("No version of package Shop.Web has been uploaded yet", Assert.Single(problem.Errors).Value[0]);
    }

    [Fact]
    public async Task A_pinned_version_is_neither_deleted_nor_replaced_while_others_are()
    {
        await UploadAsync("Shop.Web.1.0.0.zip");
        await CreateReleaseAsync("1.0.0", null);
        await UploadAsync("Shop.Web.2.0.0.zip");

        var deleted = await ProblemAsync(await _api.DeleteAsync("/api/packages/Shop.Web/1.0.0"), HttpStatusCode.Conflict);
        await ProblemAsync(await _api.PostAsync("/api/packages?fileName=Shop.Web.1.0.0.zip&replace=true", Zip("again")), HttpStatusCode.Conflict);

        Assert.Contains("release 1.0.0 of 'Shop' deploys it", deleted.Detail);
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync("/api/packages/Shop.Web/2.0.0")).StatusCode);
    }

    [Fact]
    public async Task A_step_s_package_id_follows_the_repository_s_rules()
    {
        var response = await _api.PutAsJsonAsync($"/api/projects/{_projectId}", new
        {
            name = "Shop",
            steps = new[] { new { name = "Install", roles = new[] { "web" }, script = "./start.sh", timeout = "00:10:00", packageId = "../etc" } },
        });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("package id starts with a letter or digit", problem.Errors["steps[0].packageId"][0]);
    }

    [Fact]
    public async Task Files_to_substitute_need_a_package_and_must_stay_inside_it()
    {
        var withoutPackage = await _api.PutAsJsonAsync($"/api/projects/{_projectId}", new
        {
            name = "Shop",
            steps = new[] { new { name = "Install", roles = new[] { "web" }, script = "true", timeout = "00:10:00", substituteInFiles = new[] { "app.json" } } },
        });
        var escaping = await _api.PutAsJsonAsync($"/api/projects/{_projectId}", new
        {
            name = "Shop",
            steps = new[] { new { name = "Install", roles = new[] { "web" }, script = "true", timeout = "00:10:00", packageId = "Shop.Web",
                substituteInFiles = new[] { "../../etc/app.json" } } },
        });

        Assert.Contains("needs a package", (await ProblemAsync(withoutPackage, HttpStatusCode.BadRequest)).Errors["steps[0].substituteInFiles"][0]);
        Assert.Contains("is not a path inside the package", (await ProblemAsync(escaping, HttpStatusCode.BadRequest)).Errors["steps[0].substituteInFiles"][0]);
    }

    private async Task<ReleaseDetails> CreateReleaseAsync(string version, Dictionary<string, string>? packages)
    {
        var response = await _api.PostAsJsonAsync($"/api/projects/{_projectId}/releases", new { version, packages });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ReleaseDetails>(ProtocolAgent.Json))!;
    }

    private async Task UploadAsync(string fileName) =>
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/packages?fileName={fileName}", Zip(fileName))).StatusCode);

    private static ByteArrayContent Zip(string content) => TestArchives.Body(TestArchives.Zip(("app.txt", content)));

    private sealed record IdOnly(int Id);
}
