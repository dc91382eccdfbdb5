using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AutoDeploy.Tests.Secrets;

/// <summary>
/// What a copy of the database gives away: sensitive values written through the API are in no column of any table,
/// and with a certificate configured the key ring that could decrypt them is encrypted too.
/// </summary>
[Trait("Database", "App")]
public sealed class SecretsAtRestTests : IAsyncLifetime
{
    private const string Token = "tok3n-ZQ9xW2vK7pL4mN8r";

    private static readonly string[] PemLines =
    [
        "-----BEGIN PRIVATE KEY-----",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7o4qne60TB3wo",
        "pXmRk7XcLzwZ1V1dcUYq8TQgA9ThbhfRgXNuD1PMhVKH0yb6EDHkzoZq7aE3kPf2",
        "-----END PRIVATE KEY-----",
    ];

    private readonly KeyRingCertificate _certificate = new();
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _api = null!;

    public Task InitializeAsync()
    {
        _app.Settings["DataProtection:CertificatePath"] = _certificate.Path;
        _app.Settings["DataProtection:CertificatePassword"] = KeyRingCertificate.Password;
        _api = _app.CreateApiClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task Sensitive_values_written_through_the_API_are_in_no_column_of_any_table()
    {
        var projectId = await CreateProjectAsync();
        var release = await _api.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.0.0" });
        Assert.Equal(HttpStatusCode.Created, release.StatusCode);

        var values = await RawDatabase.ValuesAsync(_app.ConnectionString);

        Assert.Contains(values, v => v.Table == "Releases" && v.Text.Contains(SecretProtector.Prefix));
        string[] secrets = [Token, .. PemLines.Skip(1).Take(2)];
        Assert.DoesNotContain(values, v => secrets.Any(v.Text.Contains));
        if (!AppDatabase.IsPostgres)
        {
            var files = RawDatabase.SqliteFilesText(_app.DbPath);
            Assert.DoesNotContain(secrets, files.Contains);
        }
    }

    [Fact]
    public async Task With_a_certificate_the_key_ring_in_the_database_is_encrypted()
    {
        await CreateProjectAsync();

        var keys = (await RawDatabase.ValuesAsync(_app.ConnectionString)).Where(v => v.Table == "DataProtectionKeys" && v.Column == "Xml").ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains("<EncryptedData", k.Text));
        Assert.All(keys, k => Assert.DoesNotContain("<masterKey", k.Text));
    }

    [Fact]
    public async Task The_API_shows_only_the_mask_of_a_stored_value()
    {
        var projectId = await CreateProjectAsync();

        var shown = await _api.GetStringAsync($"/api/projects/{projectId}");

        Assert.DoesNotContain(Token, shown);
        Assert.DoesNotContain(SecretProtector.Prefix, shown);
        Assert.Contains(ProjectVariable.Mask, shown);
    }

    [Fact]
    public async Task A_plain_value_stored_before_values_were_encrypted_is_encrypted_at_start_up()
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var project = Project.Create("Legacy", null);
            project.Variables = [new ProjectVariable { Name = "API_TOKEN", Value = Token, IsSensitive = true }];
            db.Projects.Add(project);
            await db.SaveChangesAsync();
        }

        await _app.Services.GetServices<IHostedService>().OfType<SecretMigration>().Single().StartAsync(default);

        await using var read = await factory.CreateDbContextAsync();
        var stored = (await read.Projects.SingleAsync(p => p.Name == "Legacy")).Variables.Single().Value;
        Assert.StartsWith(SecretProtector.Prefix, stored);
        Assert.Equal(Token, _app.Services.GetRequiredService<SecretProtector>().Reveal(stored));
    }

    private async Task<int> CreateProjectAsync()
    {
        var response = await _api.PostAsJsonAsync("/api/projects", new
        {
            name = $"Shop-{Guid.NewGuid():N}"[..20],
            steps = new[] { new { name = "Deploy", roles = new[] { "web" }, script = "echo hi", timeout = "00:05:00" } },
            variables = new[]
            {
                new { name = "API_TOKEN", value = Token, isSensitive = true },
                new { name = "TLS_KEY", value = string.Join("\n", PemLines), isSensitive = true },
            },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}
