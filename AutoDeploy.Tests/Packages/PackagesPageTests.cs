using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Packages;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Packages;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace AutoDeploy.Tests.Packages;

/// <summary>The Packages pages on a migrated SQLite file and a real package folder.</summary>
public sealed class PackagesPageTests : MudBunitContext
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"autodeploy-packages-{Guid.NewGuid():N}");
    private SqliteDatabase _database = null!;
    private Bunit.TestDoubles.BunitAuthorizationContext _authorization = null!;

    private PackageService Packages => Services.GetRequiredService<PackageService>();

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton(_database.Time);
        Services.AddSingleton(new PackageStore(_folder));
        Services.AddSingleton(Options.Create(new PackageOptions()));
        Services.AddSingleton<ILogger<PackageService>>(NullLogger<PackageService>.Instance);
        Services.AddScoped<PackageService>();
        _authorization = AddAuthorization();
        _authorization.SetAuthorized("deployer@autodeploy.test");
        _authorization.SetPolicies(Policies.View, Policies.Deploy, Policies.EditProjects);
    }

    protected override async Task OnDisposedAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Lists_packages_with_their_latest_version()
    {
        await UploadAsync("shop.1.9.0.zip");
        await UploadAsync("shop.1.10.0.zip");

        var cut = Render<PackagesPage>();

        cut.WaitForAssertion(() => Assert.Contains("1.10.0", Row(cut, "shop")));
        Assert.Contains("2", Row(cut, "shop"));
    }

    [Fact]
    public void An_uploaded_file_appears_in_the_list()
    {
        var cut = Render<PackagesPage>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(TestArchives.Zip(("a.txt", "x")), "billing.3.0.0.zip"));

        cut.WaitForAssertion(() => Assert.Contains("3.0.0", Row(cut, "billing")));
    }

    [Fact]
    public void A_file_that_is_not_an_archive_is_refused_with_the_reason()
    {
        var cut = Render<PackagesPage>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("not a zip", "notes.1.0.0.zip"));

        cut.WaitForAssertion(() => Assert.Contains("not a valid .zip archive", cut.Find("[data-testid=upload-problem]").TextContent));
        Assert.DoesNotContain(cut.FindAll("[data-testid=packages] tbody tr"), r => r.TextContent.Contains("notes"));
    }

    [Fact]
    public void A_viewer_sees_no_upload_button()
    {
        _authorization.SetPolicies(Policies.View);

        var cut = Render<PackagesPage>();

        cut.WaitForAssertion(() => Assert.Contains("No packages yet", cut.Markup));
        Assert.Empty(cut.FindComponents<MudFileUpload<Microsoft.AspNetCore.Components.Forms.IBrowserFile>>());
    }

    [Fact]
    public async Task The_package_page_lists_versions_with_a_download_link_and_deletes_after_confirming()
    {
        await UploadAsync("shop.1.0.0.zip");
        await UploadAsync("shop.2.0.0.zip");
        var dialogs = Render<MudDialogProvider>();

        var cut = Render<PackagePage>(p => p.Add(x => x.PackageId, "shop"));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=package-versions] tbody tr").Count));
        Assert.NotNull(cut.Find("a[href='/api/packages/shop/2.0.0/download']"));
        cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Delete 1.0.0").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click());
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=package-versions] tbody tr")));
        Assert.Equal(["2.0.0"], (await Packages.VersionsAsync("shop"))!.Select(v => v.Version));
    }

    private async Task UploadAsync(string fileName)
    {
        using var content = new MemoryStream(TestArchives.Zip(("a.txt", fileName)));
        Assert.True((await Packages.UploadAsync(content, new PackageUploadRequest(fileName), CancellationToken.None)).Result.Succeeded);
    }

    private static string Row(IRenderedComponent<PackagesPage> cut, string packageId) =>
        cut.FindAll("[data-testid=packages] tbody tr").Single(r => r.QuerySelector("td")!.TextContent.Trim() == packageId).TextContent;
}
