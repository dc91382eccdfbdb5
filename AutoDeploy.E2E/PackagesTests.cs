using AutoDeploy.Tests.Packages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class PackagesTests(E2EFixture fixture)
{
    [Fact]
    public async Task A_package_uploaded_on_the_page_shows_its_progress_is_listed_and_its_version_downloads()
    {
        var id = $"E2E.Shop{Guid.NewGuid().ToString("N")[..8]}";
        var file = Path.Combine(Path.GetTempPath(), $"{id}.1.2.0.zip");
        // A few MB that do not compress, so the upload takes a while through the circuit.
        var noise = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3_000_000));
        await File.WriteAllBytesAsync(file, TestArchives.Zip(("index.html", "<p>shop</p>"), ("app.bin", noise)));
        await using var session = await fixture.NewSessionAsync();
        var page = session.Page;
        await page.GotoInteractiveAsync("/packages");
        // Whether the progress bar was ever in the page, however briefly: a MutationObserver sees every render.
        await page.EvaluateAsync("""
            () => {
              window.progressSeen = false;
              new MutationObserver(() => { window.progressSeen ||= !!document.querySelector('[data-testid=upload-progress]'); })
                .observe(document.body, { childList: true, subtree: true, attributes: true });
            }
            """);

        // Through the button's file chooser, as a user does: setting the hidden input's files straight after the page became
        // interactive raced the upload component's script, which had not yet listened for the change (the upload never started).
        var chooser = await page.RunAndWaitForFileChooserAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Upload package" }).ClickAsync());
        await chooser.SetFilesAsync(file);

        var row = page.GetByTestId("packages").Locator("tbody tr").Filter(new() { HasText = id });
        await Expect(row).ToContainTextAsync("1.2.0");
        Assert.True(await page.EvaluateAsync<bool>("() => window.progressSeen"), "The upload's progress bar was never shown.");
        await Expect(page.GetByTestId("upload-progress")).ToHaveCountAsync(0);
        await row.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Expect(page.GetByTestId("package-versions").Locator("tbody tr")).ToContainTextAsync("1.2.0");
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator("[aria-label='Download 1.2.0']").ClickAsync());
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(await download.PathAsync()));
        File.Delete(file);
    }
}
