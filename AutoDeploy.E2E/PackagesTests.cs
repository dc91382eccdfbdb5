using AutoDeploy.Tests.Packages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class PackagesTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_package_uploaded_on_the_page_is_listed_and_its_version_downloads()
    {
        var id = $"E2E.Shop{Guid.NewGuid().ToString("N")[..8]}";
        var file = Path.Combine(Path.GetTempPath(), $"{id}.1.2.0.zip");
        await File.WriteAllBytesAsync(file, TestArchives.Zip(("index.html", string.Concat(Enumerable.Repeat("<p>shop</p>", 200_000)))));
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync("/packages");

        // Through the button's file chooser, as a user does: setting the hidden input's files straight after the page became
        // interactive raced the upload component's script, which had not yet listened for the change (the upload never started).
        var chooser = await page.RunAndWaitForFileChooserAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Upload package" }).ClickAsync());
        await chooser.SetFilesAsync(file);

        var row = page.GetByTestId("packages").Locator("tbody tr").Filter(new() { HasText = id });
        await Expect(row).ToContainTextAsync("1.2.0");
        await row.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Expect(page.GetByTestId("package-versions").Locator("tbody tr")).ToContainTextAsync("1.2.0");
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator("[aria-label='Download 1.2.0']").ClickAsync());
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(await download.PathAsync()));
        File.Delete(file);
    }
}
