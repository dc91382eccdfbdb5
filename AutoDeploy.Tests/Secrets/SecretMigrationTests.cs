using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using static Microsoft.Extensions.Options.Options;

namespace AutoDeploy.Tests.Secrets;

/// <summary>The start-up step that encrypts plain sensitive values and warns about an unencrypted key ring, on a SQLite file.</summary>
public sealed class SecretMigrationTests : IAsyncLifetime
{
    private readonly RecordingLogger<SecretMigration> _logger = new();
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Plain_sensitive_values_of_projects_and_releases_are_encrypted_and_plain_variables_left_alone()
    {
        await AddLegacyProjectAsync();

        await Migration("Development").StartAsync(default);

        var (project, release) = await StoredAsync();
        Assert.All(new[] { project, release }, variables =>
        {
            Assert.Equal("plain", variables.Single(v => v.Name == "MODE").Value);
            var stored = variables.Single(v => v.Name == "DB_PASSWORD").Value;
            Assert.Equal((true, "s3cret"), (SecretProtector.IsProtected(stored), TestSecrets.Protector.Reveal(stored)));
        });
    }

    [Fact]
    public async Task Running_it_again_changes_nothing()
    {
        await AddLegacyProjectAsync();
        await Migration("Development").StartAsync(default);
        var first = await StoredAsync();

        await using var db = _database.CreateDbContext();
        var changed = await SecretMigration.ProtectPlainValuesAsync(db, TestSecrets.Protector, default);

        var second = await StoredAsync();
        Assert.Equal(0, changed);
        Assert.Equal(first.Project, second.Project);
        Assert.Equal(first.Release, second.Release);
    }

    [Fact]
    public async Task In_Production_without_a_certificate_it_warns_that_the_key_ring_is_unencrypted()
    {
        await Migration("Production").StartAsync(default);

        var warning = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("DataProtection:CertificatePath is not set", warning.Message);
    }

    [Theory]
    [InlineData("Development", null)]
    [InlineData("Production", "/etc/autodeploy/keyring.pfx")]
    public async Task In_Development_or_with_a_certificate_it_does_not_warn(string environment, string? certificate)
    {
        await Migration(environment, certificate).StartAsync(default);

        Assert.DoesNotContain(_logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    private SecretMigration Migration(string environment, string? certificate = null) => new(_database, TestSecrets.Protector,
        Create(new KeyRingOptions { CertificatePath = certificate }), new HostingEnvironment { EnvironmentName = environment }, _logger);

    private async Task AddLegacyProjectAsync()
    {
        await using var db = _database.CreateDbContext();
        var project = Project.Create("Shop", null);
        project.Variables =
        [
            new ProjectVariable { Name = "DB_PASSWORD", Value = "s3cret", IsSensitive = true },
            new ProjectVariable { Name = "MODE", Value = "plain" },
        ];
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        db.Releases.Add(Release.Create(project, new SemanticVersion(1, 0, 0, null, null), null, _database.Time.GetUtcNow()));
        await db.SaveChangesAsync();
    }

    private async Task<(List<ProjectVariable> Project, List<ProjectVariable> Release)> StoredAsync()
    {
        await using var db = _database.CreateDbContext();
        return ((await db.Projects.SingleAsync()).Variables, (await db.Releases.SingleAsync()).Variables);
    }
}
