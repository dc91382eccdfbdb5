using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Packages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Packages;

/// <summary>The package repository through its API, as CI uploads and scripts read it; on SQLite and on PostgreSQL.</summary>
[Trait("Database", "App")]
public sealed class PackagesApiTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _api = null!;

    public Task InitializeAsync()
    {
        _api = _app.CreateApiClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_zip_sent_as_the_body_is_stored_with_its_id_version_hash_and_size_from_the_file_name()
    {
        var zip = TestArchives.Zip(("app/index.html", "<h1>Shop</h1>"));

        var response = await _api.PostAsync("/api/packages?fileName=Shop.Web.1.4.2.zip", TestArchives.Body(zip));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var package = (await response.Content.ReadFromJsonAsync<PackageVersionSummary>(ProtocolAgent.Json))!;
        Assert.Equal(("Shop.Web", "1.4.2", Convert.ToHexStringLower(SHA256.HashData(zip)), (long)zip.Length),
            (package.PackageId, package.Version, package.Sha256, package.Size));
        Assert.Equal("/api/packages/Shop.Web/1.4.2", response.Headers.Location?.OriginalString);
        Assert.Equal(zip, await File.ReadAllBytesAsync(Path.Combine(_app.PackagesFolder, "shop.web", "shop.web.1.4.2.zip")));
        await using var db = await Database();
        Assert.Contains(await db.Events.Select(e => e.Category).ToListAsync(), c => c == EventCategories.PackageUploaded);
    }

    [Fact]
    public async Task A_tar_gz_in_a_multipart_form_and_a_nupkg_with_an_explicit_id_are_stored()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(TestArchives.TarGz(("run.sh", "echo hi"))), "file", "worker.2.0.0-beta.1.tar.gz");

        var tarGz = await _api.PostAsync("/api/packages", form);
        var nupkg = await _api.PostAsync("/api/packages?fileName=build-output.nupkg&packageId=Billing&version=3.1.0",
            TestArchives.Body(TestArchives.Zip(("Billing.nuspec", "<package/>"), ("lib/app.dll", "MZ"))));

        Assert.Equal(HttpStatusCode.Created, tarGz.StatusCode);
        Assert.Equal(HttpStatusCode.Created, nupkg.StatusCode);
        var versions = await _api.GetFromJsonAsync<List<PackageVersionSummary>>("/api/packages/worker", ProtocolAgent.Json);
        Assert.Equal("2.0.0-beta.1", Assert.Single(versions!).Version);
        Assert.Equal("Billing", (await _api.GetFromJsonAsync<PackageVersionSummary>("/api/packages/billing/3.1.0", ProtocolAgent.Json))!.PackageId);
    }

    [Fact]
    public async Task The_same_version_again_is_409_unless_replace_is_asked_for()
    {
        await UploadAsync("shop.1.0.0.zip", TestArchives.Zip(("a.txt", "first")));
        var second = TestArchives.Zip(("a.txt", "second"));

        await ProblemAsync(await _api.PostAsync("/api/packages?fileName=shop.1.0.0.zip", TestArchives.Body(second)), HttpStatusCode.Conflict);
        var replaced = await _api.PostAsync("/api/packages?fileName=shop.1.0.0.zip&replace=true", TestArchives.Body(second));

        Assert.Equal(HttpStatusCode.Created, replaced.StatusCode);
        Assert.Equal(second, await _api.GetByteArrayAsync("/api/packages/shop/1.0.0/download"));
    }

    [Fact]
    public async Task An_archive_that_expands_past_the_limit_is_refused()
    {
        await using var small = new AutoDeployAppFactory();
        small.Settings["Packages:MaxExpandedBytes"] = "1000000";
        using var api = small.CreateApiClient();

        var problem = await ProblemAsync(await api.PostAsync("/api/packages?fileName=bomb.1.0.0.zip", TestArchives.Body(TestArchives.Bomb(5_000_000))),
            HttpStatusCode.BadRequest);

        Assert.Contains("expands to more than", problem.Errors["file"][0]);
    }

    [Fact]
    public async Task Packages_are_listed_with_their_latest_version_by_semver_and_searched()
    {
        foreach (var name in new[] { "shop.1.9.0.zip", "shop.1.10.0.zip", "shop.1.10.0-rc.1.zip", "billing.2.0.0.zip" })
        {
            await UploadAsync(name, TestArchives.Zip(("a.txt", name)));
        }

        var all = await _api.GetFromJsonAsync<List<PackageSummary>>("/api/packages", ProtocolAgent.Json);
        var found = await _api.GetFromJsonAsync<List<PackageSummary>>("/api/packages?search=SHO", ProtocolAgent.Json);
        var versions = await _api.GetFromJsonAsync<List<PackageVersionSummary>>("/api/packages/shop", ProtocolAgent.Json);

        Assert.Equal(["billing 2.0.0 1", "shop 1.10.0 3"], all!.Select(p => $"{p.PackageId} {p.LatestVersion} {p.Versions}"));
        Assert.Equal("shop", Assert.Single(found!).PackageId);
        Assert.Equal(["1.10.0", "1.10.0-rc.1", "1.9.0"], versions!.Select(v => v.Version));
        await ProblemAsync(await _api.GetAsync("/api/packages?take=0"), HttpStatusCode.BadRequest);
        await ProblemAsync(await _api.GetAsync("/api/packages/nothing"), HttpStatusCode.NotFound);
        await ProblemAsync(await _api.GetAsync("/api/packages/shop/9.9.9"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_download_carries_its_hash_and_resumes_from_a_range()
    {
        var zip = TestArchives.Zip(("a.txt", new string('x', 10_000)));
        await UploadAsync("shop.1.0.0.zip", zip);

        var whole = await _api.GetAsync("/api/packages/shop/1.0.0/download");
        using var rest = new HttpRequestMessage(HttpMethod.Get, "/api/packages/shop/1.0.0/download");
        rest.Headers.Range = new RangeHeaderValue(100, null);
        var resumed = await _api.SendAsync(rest);

        Assert.Equal(zip, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), whole.Headers.GetValues("X-Checksum-Sha256").Single());
        Assert.Equal(HttpStatusCode.PartialContent, resumed.StatusCode);
        Assert.Equal(zip[100..], await resumed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_deleted_version_is_gone_with_its_file_and_an_event()
    {
        await UploadAsync("shop.1.0.0.zip", TestArchives.Zip(("a.txt", "x")));

        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync("/api/packages/shop/1.0.0")).StatusCode);

        await ProblemAsync(await _api.GetAsync("/api/packages/shop/1.0.0/download"), HttpStatusCode.NotFound);
        await ProblemAsync(await _api.DeleteAsync("/api/packages/shop/1.0.0"), HttpStatusCode.NotFound);
        Assert.Empty(_app.PackageFiles());
        await using var db = await Database();
        Assert.Contains(await db.Events.Select(e => e.Category).ToListAsync(), c => c == EventCategories.PackageDeleted);
    }

    [Fact]
    public async Task Viewers_read_packages_but_do_not_upload_or_delete_them()
    {
        await UploadAsync("shop.1.0.0.zip", TestArchives.Zip(("a.txt", "x")));
        using var viewer = await _app.CreateViewerClientAsync();

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/packages/shop/1.0.0/download")).StatusCode);
        await ProblemAsync(await viewer.PostAsync("/api/packages?fileName=shop.2.0.0.zip", TestArchives.Body(TestArchives.Zip(("a.txt", "x")))), HttpStatusCode.Forbidden);
        await ProblemAsync(await viewer.DeleteAsync("/api/packages/shop/1.0.0"), HttpStatusCode.Forbidden);
    }

    private async Task UploadAsync(string fileName, byte[] archive) =>
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/packages?fileName={fileName}", TestArchives.Body(archive))).StatusCode);

    private Task<AutoDeployDbContext> Database() =>
        _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
}
