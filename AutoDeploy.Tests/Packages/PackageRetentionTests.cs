using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Tests.HighAvailability;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Packages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Packages;

/// <summary>
/// The retention sweep on a real package folder and database, with the clock in the test's hands: the same tests on a
/// SQLite file and on PostgreSQL, since the sweep's query compares times and looks for pins in the database.
/// </summary>
public abstract class PackageRetentionTests : IAsyncLifetime
{
    protected readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"autodeploy-packages-{Guid.NewGuid():N}");
    private IDbContextFactory<AutoDeployDbContext> _database = null!;
    private ServiceProvider _services = null!;

    protected abstract Task<IDbContextFactory<AutoDeployDbContext>> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        _services = new ServiceCollection()
            .AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database)
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton(new PackageStore(_folder))
            .AddSingleton(Options.Create(new PackageOptions { RetainUnusedFor = TimeSpan.FromDays(30) }))
            .AddLogging()
            .AddScoped<PackageService>()
            .AddSingleton<PackageRetention>()
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_database is IAsyncDisposable file)
        {
            await file.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Old_versions_no_release_uses_are_deleted_with_an_event_and_the_latest_and_pinned_ones_stay()
    {
        foreach (var version in new[] { "1.0.0", "1.1.0", "1.2.0", "1.3.0" })
        {
            await UploadAsync("shop", version);
        }
        await PinAsync("shop", "1.0.0");
        Time.Advance(TimeSpan.FromDays(29));
        await UploadAsync("shop", "1.4.0");
        Time.Advance(TimeSpan.FromDays(2));

        var deleted = await SweepAsync();

        Assert.Equal(["shop 1.1.0", "shop 1.2.0", "shop 1.3.0"], deleted.Order());
        using var scope = _services.CreateScope();
        var left = await scope.ServiceProvider.GetRequiredService<PackageService>().VersionsAsync("shop");
        Assert.Equal(["1.4.0", "1.0.0"], left!.Select(v => v.Version));
        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(_folder, "shop")).Count());
        await using var db = await _database.CreateDbContextAsync();
        var events = await db.Events.Where(e => e.Category == EventCategories.PackageDeleted).Select(e => e.Message).ToListAsync();
        Assert.Equal(3, events.Count);
        Assert.All(events, m => Assert.Contains("no release uses it and it was uploaded more than 30 days ago (retention)", m));
    }

    [Fact]
    public async Task The_latest_version_by_SemVer_stays_however_old_it_is()
    {
        await UploadAsync("shop", "1.10.0");
        await UploadAsync("shop", "1.9.0");
        Time.Advance(TimeSpan.FromDays(400));

        var deleted = await SweepAsync();

        Assert.Equal(["shop 1.9.0"], deleted);
    }

    [Fact]
    public async Task A_pin_keeps_that_version_of_its_own_package_only()
    {
        foreach (var id in new[] { "shop", "cart" })
        {
            await UploadAsync(id, "1.0.0");
            await UploadAsync(id, "2.0.0");
        }
        await PinAsync("shop", "1.0.0");
        Time.Advance(TimeSpan.FromDays(31));

        var deleted = await SweepAsync();

        Assert.Equal(["cart 1.0.0"], deleted);
    }

    [Fact]
    public async Task Zero_keeps_every_version()
    {
        await UploadAsync("shop", "1.0.0");
        await UploadAsync("shop", "2.0.0");
        Time.Advance(TimeSpan.FromDays(400));
        var keepAll = new PackageRetention(_services.GetRequiredService<IServiceScopeFactory>(), _database,
            Options.Create(new PackageOptions { RetainUnusedFor = TimeSpan.Zero }), Time, NullLogger<PackageRetention>.Instance);

        Assert.Empty(await keepAll.SweepAsync(CancellationToken.None));
    }

    private Task<List<string>> SweepAsync() => _services.GetRequiredService<PackageRetention>().SweepAsync(CancellationToken.None);

    private async Task UploadAsync(string id, string version)
    {
        using var scope = _services.CreateScope();
        using var content = new MemoryStream(TestArchives.Zip(("a.txt", version)));
        var saved = await scope.ServiceProvider.GetRequiredService<PackageService>()
            .UploadAsync(content, new PackageUploadRequest($"{id}.{version}.zip"), CancellationToken.None);
        Assert.True(saved.Result.Succeeded);
    }

    private async Task PinAsync(string id, string version)
    {
        await using var db = await _database.CreateDbContextAsync();
        var project = new Project();
        project.Rename($"project-{Guid.NewGuid():N}");
        project.Steps = [new DeploymentStep { Name = "Install", Roles = ["web"], Script = "true", PackageId = id }];
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        db.Releases.Add(Release.Create(project, new SemanticVersion(1, 0, 0, null, null), null, Time.GetUtcNow(), [ReleasePackage.Pin(id, version)]));
        await db.SaveChangesAsync();
    }
}

public sealed class SqlitePackageRetentionTests : PackageRetentionTests
{
    protected override async Task<IDbContextFactory<AutoDeployDbContext>> CreateDatabaseAsync() =>
        await SqliteDatabase.CreateAsync(Time);
}

[Collection("postgres")]
public sealed class PostgresPackageRetentionTests(PostgresServer server) : PackageRetentionTests
{
    // Its contexts stamp events with the real clock; the sweep's times (uploads, the cut-off) come from Time all the same.
    protected override async Task<IDbContextFactory<AutoDeployDbContext>> CreateDatabaseAsync() =>
        await PostgresDatabase.CreateAsync(server);
}
