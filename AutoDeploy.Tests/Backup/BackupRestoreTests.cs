using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Backup;

/// <summary>
/// A backup taken from a running server and restored into a fresh one, the way the README says: the restored server
/// signs its administrator in, lists the same deployments, serves the same packages and deploys.
/// </summary>
[Trait("Database", "App")]
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _source = new();
    private readonly DirectoryInfo _restored = Directory.CreateTempSubdirectory("autodeploy-restore-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        _restored.Delete(recursive: true);
    }

    [Fact]
    public async Task A_backup_restored_into_a_fresh_server_signs_in_lists_the_same_deployments_and_deploys()
    {
        var api = _source.CreateApiClient();
        if (AppDatabase.IsPostgres)
        {
            var refused = await api.GetAsync("/api/backup");
            Assert.Contains("pg_dump", (await ProblemResponses.ProblemAsync(refused, HttpStatusCode.Conflict)).Detail);
            return;
        }
        var factory = _source.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        var scenario = await new DeploymentScenario(factory).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(new Domain.Projects.ConnectivitySettings { AllowDeploymentsToNoTargets = true },
            DeploymentScenario.Step("Install", "web"));
        await scenario.WithSuccessfulDeploymentAndTriggerAsync();
        var zip = Packages.TestArchives.Zip(("app/index.html", "<h1>Shop</h1>"));
        (await api.PostAsync("/api/packages?fileName=shop.1.0.0.zip", Packages.TestArchives.Body(zip))).EnsureSuccessStatusCode();
        var deployments = await api.GetStringAsync("/api/deployments");

        var response = await api.GetAsync("/api/backup");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".tar.gz", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var entries = await ExtractAsync(await response.Content.ReadAsStreamAsync());
        Assert.Contains("autodeploy.db", entries);
        Assert.Contains(entries, e => e.StartsWith("packages/", StringComparison.Ordinal));
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(AutoDeployAppFactory.AdminEmail, (await db.Events.SingleAsync(e => e.Category == EventCategories.BackupTaken)).Actor);
        }

        await using var restored = new AutoDeployAppFactory();
        restored.Settings["ConnectionStrings:Default"] = $"Data Source={Path.Combine(_restored.FullName, "autodeploy.db")}";
        restored.Settings["Packages:Folder"] = Path.Combine(_restored.FullName, "packages");
        var restoredApi = restored.CreateApiClient();
        Assert.Equal(deployments, await restoredApi.GetStringAsync("/api/deployments"));
        Assert.Equal(zip, await restoredApi.GetByteArrayAsync("/api/packages/shop/1.0.0/download"));
        var browser = new Identity.BrowserClient(restored);
        var signIn = await browser.SignInAsync(AutoDeployAppFactory.AdminEmail, AutoDeployAppFactory.AdminPassword,
            "/account/login?ReturnUrl=%2Fprofile");
        Assert.Equal("/profile", Identity.BrowserClient.RedirectTarget(signIn));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/profile")).StatusCode);
        var deploy = await restoredApi.PostAsJsonAsync("/api/deployments", new { releaseId = scenario.Release.Id, environmentId = scenario.Environment.Id });
        Assert.Equal(HttpStatusCode.Created, deploy.StatusCode);
        Assert.Equal(scenario.Release.Id, (await deploy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("releaseId").GetInt32());
    }

    private async Task<List<string>> ExtractAsync(Stream backup)
    {
        var names = new List<string>();
        await using var gzip = new GZipStream(backup, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name);
            var target = Path.Combine(_restored.FullName, entry.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: false);
        }
        return names;
    }
}
